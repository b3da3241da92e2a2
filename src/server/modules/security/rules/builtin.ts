/**
 * The built-in rules, in the same YAML format as the security officer's own (see README.md). They live
 * in this file rather than in .yml files so that the bundled `parc` (dist/parc.mjs) carries them.
 */
import { loadRules, type Rule } from './load.js';

export const BUILTIN_SOURCE = 'built-in';

export const BUILTIN_RULES_YAML = `
id: ssh-brute-force
title: SSH brute force
description: At least 5 failed SSH logins from one source within 10 minutes (an exact sliding window).
severity: high
tags: [attack.credential_access, attack.t1110.001]
detection:
  failed:
    program: [sshd, sshd-session]
    action: login
    outcome: failure
  condition: failed
correlation:
  type: event_count
  group-by: [src_ip]
  timespan: 10m
  condition:
    gte: 5
---
id: password-spraying
title: Password spraying
description: One source tries at least 10 distinct accounts within 6 hours, however slowly it goes.
severity: high
tags: [attack.credential_access, attack.t1110.003]
detection:
  failed:
    action: [login, invalid_user]
    outcome: failure
  condition: failed
correlation:
  type: value_count
  group-by: [src_ip]
  timespan: 6h
  condition:
    field: user
    gte: 10
---
id: success-after-failures
title: Successful login after repeated failures
description: A source failed to log in at least 5 times, then succeeded within 30 minutes; the password may have been guessed.
severity: critical
tags: [attack.credential_access, attack.initial_access, attack.t1078]
detection:
  failed:
    action: login
    outcome: failure
  accepted:
    action: login
    outcome: success
  condition: failed or accepted
correlation:
  type: temporal_ordered
  group-by: [src_ip]
  timespan: 30m
  sequence:
    - condition: failed
      gte: 5
    - condition: accepted
---
id: login-unusual-hours
title: Login at unusual hours
description: A successful interactive or remote login between 22:00 and 05:59 (UTC); network, batch and service logons are left out.
severity: medium
tags: [attack.initial_access, attack.t1078]
detection:
  night_login:
    action: login
    outcome: success
    hour: [22, 23, 0, 1, 2, 3, 4, 5]
  non_interactive:
    method: ['3', '4', '5']
  machine_account:
    user|endswith: $
  condition: night_login and not non_interactive and not machine_account
correlation:
  type: event_count
  group-by: [host, user]
  timespan: 1h
  condition:
    gte: 1
---
id: login-new-source
title: Login from a never-seen source
description: An account logged in from an address it had not used before (the first day of the stream only learns the usual addresses).
severity: medium
tags: [attack.initial_access, attack.t1078]
detection:
  accepted:
    action: login
    outcome: success
  local:
    src_ip|cidr: [127.0.0.0/8, '::1/128']
  condition: accepted and not local
correlation:
  type: new_value
  group-by: [user]
  field: src_ip
  learning: 1d
  timespan: 1h
---
id: new-account
title: New account created
description: A local or domain account was created (useradd, Windows 4720).
severity: medium
tags: [attack.persistence, attack.t1136]
detection:
  created:
    action: user_created
  condition: created
correlation:
  type: event_count
  group-by: [host, target_user]
  timespan: 1h
  condition:
    gte: 1
---
id: admin-group-member
title: New member of an administrators group
description: An account was added to sudo, wheel, admin or a Windows administrators group.
severity: high
tags: [attack.privilege_escalation, attack.persistence, attack.t1098]
detection:
  added:
    action: group_member_added
    group:
      - sudo
      - wheel
      - admin
      - root
      - Administrators
      - Administrateurs
      - Domain Admins
      - Admins du domaine
      - Enterprise Admins
      - Administrateurs de l’entreprise
      - Schema Admins
      - Administrateurs du schéma
  condition: added
correlation:
  type: event_count
  group-by: [host, target_user, group]
  timespan: 1h
  condition:
    gte: 1
---
id: sudo-failure
title: sudo refused
description: sudo refused a command (wrong passwords, user not in sudoers, command not allowed).
severity: medium
tags: [attack.privilege_escalation, attack.t1548.003]
detection:
  refused:
    program: sudo
    action: sudo
    outcome: failure
  condition: refused
correlation:
  type: event_count
  group-by: [host, user]
  timespan: 1h
  condition:
    gte: 1
---
id: audit-log-cleared
title: Security audit log cleared
description: The Windows Security log was cleared (event 1102), as intruders do to hide their tracks.
severity: critical
tags: [attack.defense_evasion, attack.t1070.001]
detection:
  cleared:
    action: audit_log_cleared
  condition: cleared
correlation:
  type: event_count
  group-by: [host]
  timespan: 1h
  condition:
    gte: 1
---
id: lockout-storm
title: Account lockout storm
description: At least 5 distinct accounts locked out on one host within 15 minutes (Windows 4740, pam_faillock).
severity: high
tags: [attack.credential_access, attack.t1110]
detection:
  locked:
    action: account_locked
  condition: locked
correlation:
  type: value_count
  group-by: [host]
  timespan: 15m
  condition:
    field: target_user
    gte: 5
`;

let cached: Rule[] | null = null;

/** The built-in rules, compiled once. */
export function builtinRules(): Rule[] {
  cached ??= loadRules(BUILTIN_RULES_YAML, BUILTIN_SOURCE);
  return cached;
}
