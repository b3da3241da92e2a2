export type Locale = 'fr' | 'en';

type Catalogue = Record<string, { title: string; detail?: string }>;

/**
 * Server-side messages: problem titles and details. The web translates by code with its own catalogue;
 * these are for API users and scripts, chosen by Accept-Language.
 */
const en: Catalogue = {
  'validation.failed': { title: 'Invalid request', detail: 'Some fields are invalid.' },
  'request.malformed_json': { title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  'request.too_large': { title: 'Request too large', detail: 'The request body exceeds {limit} bytes.' },
  'request.unsupported_media_type': { title: 'Unsupported media type', detail: 'Send application/json.' },
  'request.not_found': { title: 'Not found', detail: 'No route {method} {url}.' },
  'request.rate_limited': { title: 'Too many requests', detail: 'Retry in {retryAfter} seconds.' },
  'server.error': {
    title: 'Internal error',
    detail: 'An unexpected error occurred; quote request {requestId}.',
  },
  'auth.unauthenticated': { title: 'Authentication required', detail: 'Log in or send an API token.' },
  'auth.forbidden': { title: 'Forbidden', detail: 'Your roles do not allow this action.' },
  'auth.csrf': { title: 'Missing CSRF proof', detail: 'Send the X-CSRF-Token header given at login.' },
  'auth.invalid_credentials': { title: 'Invalid credentials', detail: 'Wrong e-mail or password.' },
  'auth.otp_required': {
    title: 'Second factor required',
    detail: 'Enter the code of your authenticator app.',
  },
  'auth.otp_invalid': { title: 'Invalid code', detail: 'The code is wrong or expired.' },
  'auth.locked': {
    title: 'Account temporarily locked',
    detail: 'Too many failures; retry in {retryAfter} seconds.',
  },
  'auth.rate_limited': {
    title: 'Too many attempts',
    detail: 'Too many login attempts; retry in {retryAfter} seconds.',
  },
  'auth.password_change_required': {
    title: 'Password change required',
    detail: 'Change your password first.',
  },
  'auth.wrong_password': { title: 'Wrong password', detail: 'The current password is wrong.' },
  'auth.totp_not_setup': { title: 'Two-factor setup not started', detail: 'Start the setup first.' },
  'auth.totp_already_enabled': { title: 'Two-factor already enabled', detail: 'Disable it first.' },
  'auth.role_not_held': {
    title: 'Role not held',
    detail: 'You do not hold the role {role} in this organisation.',
  },
  'precondition.failed': {
    title: 'Changed by someone else',
    detail: 'The record changed since you read it (version {currentVersion}); reload it.',
  },
  'precondition.required': {
    title: 'If-Match required',
    detail: 'Send the ETag you read in an If-Match header.',
  },
  'conflict.duplicate': { title: 'Already exists', detail: 'Another record already has this {field}.' },
  'org.not_found': { title: 'Organisation not found' },
  'org.home_required': { title: 'Home organisation', detail: 'The home organisation cannot be removed.' },
  'user.not_found': { title: 'User not found' },
  'user.last_admin': {
    title: 'Last administrator',
    detail: 'The home organisation must keep at least one administrator.',
  },
  'user.self_disable': { title: 'Not on yourself', detail: 'You cannot disable your own account.' },
  'group.not_found': { title: 'Group not found' },
  'group.member_not_in_org': {
    title: 'Member outside the organisation',
    detail: 'Every member must belong to the group organisation.',
  },
  'token.not_found': { title: 'API token not found' },
  'audit.not_found': { title: 'Audit record not found' },
  'location.not_found': { title: 'Location not found' },
  'location.bad_parent': {
    title: 'Wrong place in the tree',
    detail: 'A {kind} can only be placed under: {allowed}.',
  },
  'location.parent_not_found': {
    title: 'Parent location not found',
    detail: 'The parent must be a location of the same organisation.',
  },
  'location.cycle': {
    title: 'Move into itself',
    detail: 'A location cannot be moved under itself or one of its descendants.',
  },
  'location.not_empty': {
    title: 'Location not empty',
    detail: 'It still holds {children} locations and {assets} assets; move or remove them first.',
  },
  'manufacturer.not_found': { title: 'Manufacturer not found' },
  'manufacturer.in_use': { title: 'Manufacturer in use', detail: '{uses} models still refer to it.' },
  'supplier.not_found': { title: 'Supplier not found' },
  'supplier.in_use': { title: 'Supplier in use', detail: '{uses} assets still refer to it.' },
  'model.not_found': { title: 'Model not found' },
  'model.in_use': { title: 'Model in use', detail: '{uses} assets still refer to it.' },
  'model.bad_reference': {
    title: 'Unknown manufacturer or type',
    detail: 'The manufacturer and the type must be visible to the model organisation.',
  },
  'asset_type.not_found': { title: 'Asset type not found' },
  'asset_type.built_in': {
    title: 'Built-in type',
    detail: 'Built-in asset types are shared by every organisation and cannot be changed.',
  },
  'asset.not_found': { title: 'Asset not found' },
  'relation.not_found': { title: 'Relation not found' },
  'asset.duplicate': {
    title: 'Already in the inventory',
    detail: 'The asset "{name}" already has this {field}.',
  },
  'asset.bad_transition': {
    title: 'Status change not allowed',
    detail: 'From {from} an asset can go to: {allowed}.',
  },
  'asset.already_installed': {
    title: 'Already installed',
    detail: 'This component is already installed in another asset.',
  },
  'asset.beyond_rack': {
    title: 'Beyond the top of the rack',
    detail: 'The rack is {rackUnits} U high; placed there, the asset would reach U {top}.',
  },
  'ticket.not_found': { title: 'Ticket not found' },
  'ticket_category.not_found': { title: 'Category not found' },
  'ticket_task.not_found': { title: 'Task not found' },
  'ticket.bad_transition': {
    title: 'Status change not allowed',
    detail: 'A ticket cannot go from {from} to {to}. Allowed: {allowed}.',
  },
  'ticket.solution_required': {
    title: 'Solution required',
    detail: 'Write the solution (the requester reads it) to resolve the ticket.',
  },
  'ticket.reopen_expired': {
    title: 'Too late to reopen',
    detail: 'A resolved ticket can be reopened for {days} days; create a new ticket and mention this one.',
  },
  'ticket.closed': {
    title: 'Ticket closed',
    detail: 'Ticket {reference} is closed: create a new ticket and mention it.',
  },
  'ticket.not_resolved': { title: 'Not resolved yet', detail: 'A ticket is rated once it is resolved.' },
  'mailbox.not_found': {
    title: 'No intake mailbox',
    detail: 'This organisation has no intake mailbox yet; create it with PUT (If-Match: "v0").',
  },
  'mail_template.not_found': { title: 'Mail template not found' },
  'intervention_note.not_found': {
    title: 'No intervention note',
    detail: 'The technician wrote no intervention note for this ticket.',
  },
  'attachment.not_found': { title: 'Attachment not found' },
  'security.bad_ingest_token': {
    title: 'Invalid ingest token',
    detail: 'Send the organisation ingest token (Authorization: Bearer psec_…) or an API token with orgId.',
  },
  'security.bad_gzip': {
    title: 'Corrupt gzip data',
    detail: 'The body starts as gzip but cannot be inflated.',
  },
  'security_incident.not_found': { title: 'Security incident not found' },
  'security_incident.invalid_transition': {
    title: 'Move not allowed',
    detail: 'A security incident cannot go from {from} to {to}.',
  },
  'security_rule.not_found': { title: 'Detection rule not found' },
  'security_rule.invalid': {
    title: 'Invalid rule',
    detail: 'The rule has {count} problem(s); see errors for line and column.',
  },
  'security_rule.duplicate': {
    title: 'Rule already exists',
    detail: 'A rule with id {ruleId} already exists.',
  },
  'security_source.not_found': { title: 'Log source not found' },
  'security_source.duplicate': {
    title: 'Source already exists',
    detail: 'A source named {name} already exists.',
  },
  'security_notification.not_found': { title: 'Notification not found' },
  'alerts.bad_token': {
    title: 'Invalid webhook token',
    detail: 'Send the organisation webhook token as Authorization: Bearer palrt_…',
  },
  'inventory.bad_token': {
    title: 'Unknown enrolment token',
    detail: 'Create an enrolment token for the organisation in Parc and configure the agent with it.',
  },
  'inventory.revoked_token': {
    title: 'Revoked enrolment token',
    detail: 'This token was revoked: configure the agent with a current one.',
  },
  'inventory.token_required': {
    title: 'Enrolment token required',
    detail: 'This Parc accepts only agents configured with an enrolment token.',
  },
  'inventory.claimed_elsewhere': {
    title: 'Device filed in another organisation',
    detail: 'This device already reports to another organisation; its token belongs to a different one.',
  },
  'inventory.empty': { title: 'Empty inventory body' },
  'inventory.truncated': { title: 'Truncated or corrupt compressed body' },
  'inventory.too_large': { title: 'Inventory too large' },
  'inventory.unknown_format': { title: 'Neither XML nor JSON' },
  'inventory.malformed_xml': { title: 'Malformed XML' },
  'inventory.malformed_json': { title: 'Malformed JSON' },
  'inventory.missing_device_id': { title: 'No device id in the inventory' },
  'inventory.unsupported_query': { title: 'Request kind not supported' },
  'inventory.internal': { title: 'Internal error while filing the inventory' },
  'device.not_found': { title: 'Device not found' },
  'inventory_token.not_found': { title: 'Enrolment token not found' },
  'inventory_rule.not_found': { title: 'Rule not found' },
  'software.not_found': { title: 'Software not found' },
  'location.rack_too_small': {
    title: 'The rack holds higher equipment',
    detail: 'The asset "{name}" reaches U {top}: move it before making the rack {rackUnits} U high.',
  },
  'asset.rack_slot_taken': {
    title: 'Rack space taken',
    detail: 'The asset "{name}" already occupies U {from} to {to} of this rack.',
  },
  'location.not_rack': {
    title: 'Not a rack',
    detail: 'Only a rack has U positions; this location is a {kind}.',
  },
  'search.not_found': { title: 'Saved search not found' },
  'kb_article.not_found': { title: 'Procedure not found' },
  'report_schedule.not_found': { title: 'Report schedule not found' },
  'kb_version.not_found': { title: 'Version not found', detail: 'This procedure has no such version.' },
  'diagnostic.not_found': { title: 'Diagnostic tree not found' },
  'diagnostic.not_published': {
    title: 'Tree not published',
    detail: 'This diagnostic tree is not published: publish it, or walk it as a preview.',
  },
  'diagnostic.not_draft': {
    title: 'Only a draft can be deleted',
    detail: 'This diagnostic tree has been published: archive it instead.',
  },
  'diagnostic.stale_version': {
    title: 'The diagnostic tree changed',
    detail:
      'This walk started on version {version}, and version {currentVersion} is published now: start again from the first question.',
  },
  'diagnostic.bad_answer': {
    title: 'Not an answer to this question',
    detail:
      'Answer {step} is not one of those offered at that point of the tree; go back to the last question.',
  },
  'file.empty': { title: 'Empty file', detail: 'The file has no content.' },
  'file.too_large': { title: 'File too large', detail: 'Files are limited to {limit} bytes.' },
  'file.bad_type': { title: 'Wrong kind of file', detail: 'Expected {expected}.' },
  'model.no_notice': { title: 'No installation notice', detail: 'No notice was attached to this model.' },
  'asset.bulk_failed': {
    title: 'Nothing changed',
    detail: '{count} of the selected assets cannot take this change; see errors.',
  },
  'import.unknown_encoding': {
    title: 'Unreadable file',
    detail:
      'This is not a CSV in UTF-8 or Windows-1252, nor an XLSX workbook. Save it as CSV (UTF-8) or XLSX.',
  },
  'import.unreadable_file': {
    title: 'Unreadable workbook',
    detail: 'The XLSX file is damaged or is not an Excel workbook.',
  },
  'import.malformed_csv': {
    title: 'Malformed CSV',
    detail: 'The file cannot be read as CSV near line {line} (an unclosed quote?).',
  },
  'import.bad_header': {
    title: 'Wrong header row',
    detail:
      'Line 1 must name each column once (name, serial or asset tag at least); check column(s) {columns}.',
  },
  'import.too_many_rows': {
    title: 'Too many rows',
    detail: 'An import holds at most {limit} rows; split the file.',
  },
  // Stock and purchase orders.
  'stock.insufficient': {
    title: 'Not enough in stock',
    detail:
      "{available} available here for {requested} requested; the supplier's lead time is {leadTimeDays} day(s) (delivery around {expectedDate} if ordered today).",
  },
  'stock.reservation_mismatch': {
    title: 'Reservation out of step',
    detail: 'Only {reserved} are reserved here for {requested} to release or use; reload the reservation.',
  },
  'stock.matrix_too_large': {
    title: 'Too many levels at once',
    detail: 'More than {limit} levels: use the paged list of levels with filters.',
  },
  'stock_location.not_found': { title: 'Stock location not found' },
  'stock_location.in_use': {
    title: 'Stock location in use',
    detail: 'It still holds stock, an open purchase order or an open count: empty or close them first.',
  },
  'stock_article.not_found': { title: 'Article not found' },
  'stock_article.in_use': {
    title: 'Article in use',
    detail: 'It is still on hand somewhere or on an open purchase order.',
  },
  'stock_level.not_found': {
    title: 'Stock level not found',
    detail: 'The article and the stock location belong to different organisations.',
  },
  'stock_reservation.not_found': { title: 'Reservation not found' },
  'stock_reservation.not_active': {
    title: 'Reservation already closed',
    detail: 'This reservation is {status}: nothing left to release or use.',
  },
  'purchase_order.not_found': { title: 'Purchase order not found' },
  'purchase_order.closed': { title: 'Purchase order closed', detail: 'This order is {status}.' },
  'purchase_order.already_received': {
    title: 'Delivery already received',
    detail: 'Supplier, stock location and lines can change only before the first reception.',
  },
  'purchase_order.over_receipt': {
    title: 'More than ordered',
    detail:
      '{ordered} ordered, {received} already received, {receiving} now: see lines; send confirmOverReceipt: true to receive the extra on purpose.',
  },
  'disposal_batch.not_found': { title: 'Disposal batch not found' },
  'disposal_batch.not_open': {
    title: 'Batch no longer open',
    detail: 'This batch is {status}: it can no longer change.',
  },
  'disposal_batch.empty': {
    title: 'Empty batch',
    detail: 'Add the assets leaving before handing the batch over.',
  },
  'disposal_batch.unwiped': {
    title: 'Data not wiped',
    detail:
      'No successful wiping record for {count} storage medium(s): {names}. Record the wipe, or mark the item as holding no data.',
  },
  'disposal.already_in_batch': {
    title: 'Already in a disposal batch',
    detail: 'An asset is already in batch {reference} (see assets): take it out of that batch first.',
  },
  'disposal_item.not_found': { title: 'This asset is not in the batch' },
  // Work orders.
  'work_order.not_found': { title: 'Work order not found' },
  'work_order.closed': {
    title: 'Work order closed',
    detail: 'This work order is {status}: it no longer changes.',
  },
  'work_order.bad_transition': {
    title: 'Status change not allowed',
    detail: 'From {from} to {to} is not allowed; from here: {allowed}.',
  },
  'work_order.checklist_incomplete': {
    title: 'Checklist incomplete',
    detail: '{count} mandatory item(s) not checked: {labels}.',
  },
  'work_order.not_done': {
    title: 'No report yet',
    detail: 'The intervention report exists once the work order is done (it is {status}).',
  },
  'work_order_check.not_found': { title: 'Checklist item not found' },
  'work_order.unit_taken': {
    title: 'Unit already promised',
    detail: 'Another open work order has just taken one of these units: choose another.',
  },
  'work_order_test.not_found': { title: 'Validation test not found' },
  'planning.conflict': {
    title: 'Scheduling conflict',
    detail:
      '{count} conflict(s): the technician is booked elsewhere or someone is unavailable; schedule anyway with override.',
  },
  'unavailability.not_found': { title: 'Unavailable slot not found' },
  'calendar.not_found': { title: 'Calendar not found', detail: 'This feed address is unknown or revoked.' },
  'stock_take.not_found': { title: 'Stock-taking not found' },
  'stock_take.closed': { title: 'Stock-taking closed', detail: 'This count is {status}.' },
  'stock_take.already_open': {
    title: 'A count is already open here',
    detail: 'Finish or cancel the open stock-taking of this location first (stockTakeId).',
  },
  'stock_take.below_reserved': {
    title: 'Count below what is reserved',
    detail:
      '{counted} counted but {reserved} reserved (see lines): release those reservations, or recount, before booking.',
  },
};

const fr: Catalogue = {
  'validation.failed': { title: 'Requête invalide', detail: 'Certains champs sont invalides.' },
  'request.malformed_json': {
    title: 'JSON mal formé',
    detail: "Le corps de la requête n'est pas du JSON valide.",
  },
  'request.too_large': {
    title: 'Requête trop volumineuse',
    detail: 'Le corps de la requête dépasse {limit} octets.',
  },
  'request.unsupported_media_type': {
    title: 'Type de contenu non pris en charge',
    detail: 'Envoyez application/json.',
  },
  'request.not_found': { title: 'Introuvable', detail: 'Aucune route {method} {url}.' },
  'request.rate_limited': { title: 'Trop de requêtes', detail: 'Réessayez dans {retryAfter} secondes.' },
  'server.error': {
    title: 'Erreur interne',
    detail: 'Une erreur inattendue est survenue ; citez la requête {requestId}.',
  },
  'auth.unauthenticated': {
    title: 'Authentification requise',
    detail: 'Connectez-vous ou envoyez un jeton d’API.',
  },
  'auth.forbidden': { title: 'Interdit', detail: 'Vos rôles ne permettent pas cette action.' },
  'auth.csrf': {
    title: 'Preuve CSRF manquante',
    detail: 'Envoyez l’en-tête X-CSRF-Token reçu à la connexion.',
  },
  'auth.invalid_credentials': {
    title: 'Identifiants invalides',
    detail: 'Adresse e-mail ou mot de passe incorrect.',
  },
  'auth.otp_required': {
    title: 'Second facteur requis',
    detail: 'Saisissez le code de votre application d’authentification.',
  },
  'auth.otp_invalid': { title: 'Code invalide', detail: 'Le code est faux ou expiré.' },
  'auth.locked': {
    title: 'Compte temporairement verrouillé',
    detail: 'Trop d’échecs ; réessayez dans {retryAfter} secondes.',
  },
  'auth.rate_limited': {
    title: 'Trop de tentatives',
    detail: 'Trop de tentatives de connexion ; réessayez dans {retryAfter} secondes.',
  },
  'auth.password_change_required': {
    title: 'Changement de mot de passe requis',
    detail: 'Changez d’abord votre mot de passe.',
  },
  'auth.wrong_password': { title: 'Mot de passe incorrect', detail: 'Le mot de passe actuel est incorrect.' },
  'auth.totp_not_setup': {
    title: 'Configuration du second facteur non commencée',
    detail: 'Commencez d’abord la configuration.',
  },
  'auth.totp_already_enabled': { title: 'Second facteur déjà activé', detail: 'Désactivez-le d’abord.' },
  'auth.role_not_held': {
    title: 'Rôle non détenu',
    detail: 'Vous n’avez pas le rôle {role} dans cette organisation.',
  },
  'precondition.failed': {
    title: 'Modifié par quelqu’un d’autre',
    detail: 'L’enregistrement a changé depuis votre lecture (version {currentVersion}) ; rechargez-le.',
  },
  'precondition.required': {
    title: 'If-Match requis',
    detail: 'Envoyez l’ETag lu dans un en-tête If-Match.',
  },
  'conflict.duplicate': { title: 'Existe déjà', detail: 'Un autre enregistrement a déjà ce champ {field}.' },
  'org.not_found': { title: 'Organisation introuvable' },
  'org.home_required': {
    title: 'Organisation principale',
    detail: 'L’organisation principale ne peut pas être supprimée.',
  },
  'user.not_found': { title: 'Utilisateur introuvable' },
  'user.last_admin': {
    title: 'Dernier administrateur',
    detail: 'L’organisation principale doit garder au moins un administrateur.',
  },
  'user.self_disable': {
    title: 'Pas sur vous-même',
    detail: 'Vous ne pouvez pas désactiver votre propre compte.',
  },
  'group.not_found': { title: 'Groupe introuvable' },
  'group.member_not_in_org': {
    title: 'Membre hors de l’organisation',
    detail: 'Chaque membre doit appartenir à l’organisation du groupe.',
  },
  'token.not_found': { title: 'Jeton d’API introuvable' },
  'audit.not_found': { title: 'Enregistrement d’audit introuvable' },
  'location.not_found': { title: 'Emplacement introuvable' },
  'location.bad_parent': {
    title: 'Mauvaise place dans l’arborescence',
    detail: 'Un emplacement de type {kind} ne peut être placé que sous : {allowed}.',
  },
  'location.parent_not_found': {
    title: 'Emplacement parent introuvable',
    detail: 'Le parent doit être un emplacement de la même organisation.',
  },
  'location.cycle': {
    title: 'Déplacement en lui-même',
    detail: 'Un emplacement ne peut pas être déplacé sous lui-même ou sous un de ses descendants.',
  },
  'location.not_empty': {
    title: 'Emplacement non vide',
    detail:
      'Il contient encore {children} emplacements et {assets} équipements ; déplacez-les ou supprimez-les d’abord.',
  },
  'manufacturer.not_found': { title: 'Fabricant introuvable' },
  'manufacturer.in_use': { title: 'Fabricant utilisé', detail: '{uses} modèles y font encore référence.' },
  'supplier.not_found': { title: 'Fournisseur introuvable' },
  'supplier.in_use': { title: 'Fournisseur utilisé', detail: '{uses} équipements y font encore référence.' },
  'model.not_found': { title: 'Modèle introuvable' },
  'model.in_use': { title: 'Modèle utilisé', detail: '{uses} équipements y font encore référence.' },
  'model.bad_reference': {
    title: 'Fabricant ou type inconnu',
    detail: 'Le fabricant et le type doivent être visibles de l’organisation du modèle.',
  },
  'asset_type.not_found': { title: 'Type d’équipement introuvable' },
  'asset_type.built_in': {
    title: 'Type intégré',
    detail:
      'Les types d’équipement intégrés sont communs à toutes les organisations et ne peuvent pas être modifiés.',
  },
  'asset.not_found': { title: 'Équipement introuvable' },
  'relation.not_found': { title: 'Relation introuvable' },
  'asset.duplicate': {
    title: 'Déjà dans l’inventaire',
    detail: 'L’équipement « {name} » a déjà ce {field}.',
  },
  'asset.bad_transition': {
    title: 'Changement de statut interdit',
    detail: 'Depuis {from}, un équipement peut passer à : {allowed}.',
  },
  'asset.already_installed': {
    title: 'Déjà installé',
    detail: 'Ce composant est déjà installé dans un autre équipement.',
  },
  'asset.beyond_rack': {
    title: 'Au-delà du haut de la baie',
    detail: 'La baie fait {rackUnits} U ; placé ainsi, l’équipement atteindrait le U {top}.',
  },
  'ticket.not_found': { title: 'Ticket introuvable' },
  'ticket_category.not_found': { title: 'Catégorie introuvable' },
  'ticket_task.not_found': { title: 'Tâche introuvable' },
  'ticket.bad_transition': {
    title: 'Changement de statut interdit',
    detail: 'Un ticket ne peut pas passer de {from} à {to}. Possibles : {allowed}.',
  },
  'ticket.solution_required': {
    title: 'Solution obligatoire',
    detail: 'Rédigez la solution (le demandeur la lit) pour résoudre le ticket.',
  },
  'ticket.reopen_expired': {
    title: 'Trop tard pour rouvrir',
    detail: 'Un ticket résolu peut être rouvert pendant {days} jours ; créez un nouveau ticket qui le cite.',
  },
  'ticket.closed': {
    title: 'Ticket clos',
    detail: 'Le ticket {reference} est clos : créez un nouveau ticket qui le cite.',
  },
  'ticket.not_resolved': { title: 'Pas encore résolu', detail: 'Un ticket se note une fois résolu.' },
  'mailbox.not_found': {
    title: 'Pas de boîte aux lettres de réception',
    detail: 'Cette organisation n’a pas encore de boîte de réception ; créez-la par PUT (If-Match: "v0").',
  },
  'mail_template.not_found': { title: 'Modèle de courriel introuvable' },
  'intervention_note.not_found': {
    title: 'Pas de note d’intervention',
    detail: 'Le technicien n’a pas rédigé de note d’intervention pour ce ticket.',
  },
  'attachment.not_found': { title: 'Pièce jointe introuvable' },
  'security.bad_ingest_token': {
    title: 'Jeton d’ingestion invalide',
    detail:
      'Envoyez le jeton d’ingestion de l’organisation (Authorization: Bearer psec_…) ou un jeton d’API avec orgId.',
  },
  'security.bad_gzip': {
    title: 'Données gzip corrompues',
    detail: 'Le corps commence comme du gzip mais ne peut être décompressé.',
  },
  'security_incident.not_found': { title: 'Incident de sécurité introuvable' },
  'security_incident.invalid_transition': {
    title: 'Passage interdit',
    detail: 'Un incident de sécurité ne peut pas passer de {from} à {to}.',
  },
  'security_rule.not_found': { title: 'Règle de détection introuvable' },
  'security_rule.invalid': {
    title: 'Règle invalide',
    detail: 'La règle a {count} problème(s) ; voir errors pour la ligne et la colonne.',
  },
  'security_rule.duplicate': {
    title: 'Règle déjà existante',
    detail: 'Une règle d’identifiant {ruleId} existe déjà.',
  },
  'security_source.not_found': { title: 'Source de journaux introuvable' },
  'security_source.duplicate': {
    title: 'Source déjà existante',
    detail: 'Une source nommée {name} existe déjà.',
  },
  'security_notification.not_found': { title: 'Notification introuvable' },
  'alerts.bad_token': {
    title: 'Jeton de webhook invalide',
    detail: 'Envoyez le jeton de webhook de l’organisation en Authorization: Bearer palrt_…',
  },
  'inventory.bad_token': {
    title: 'Jeton d’enrôlement inconnu',
    detail: 'Créez dans Parc un jeton d’enrôlement pour l’organisation et configurez l’agent avec.',
  },
  'inventory.revoked_token': {
    title: 'Jeton d’enrôlement révoqué',
    detail: 'Ce jeton a été révoqué : configurez l’agent avec un jeton en cours de validité.',
  },
  'inventory.token_required': {
    title: 'Jeton d’enrôlement obligatoire',
    detail: 'Ce Parc n’accepte que les agents configurés avec un jeton d’enrôlement.',
  },
  'inventory.claimed_elsewhere': {
    title: 'Poste rattaché à une autre organisation',
    detail:
      'Ce poste remonte déjà dans une autre organisation ; son jeton appartient à une organisation différente.',
  },
  'inventory.empty': { title: 'Inventaire vide' },
  'inventory.truncated': { title: 'Contenu compressé tronqué ou corrompu' },
  'inventory.too_large': { title: 'Inventaire trop volumineux' },
  'inventory.unknown_format': { title: 'Ni XML ni JSON' },
  'inventory.malformed_xml': { title: 'XML mal formé' },
  'inventory.malformed_json': { title: 'JSON mal formé' },
  'inventory.missing_device_id': { title: 'Identifiant de poste absent de l’inventaire' },
  'inventory.unsupported_query': { title: 'Type de requête non pris en charge' },
  'inventory.internal': { title: 'Erreur interne pendant l’intégration de l’inventaire' },
  'device.not_found': { title: 'Poste introuvable' },
  'inventory_token.not_found': { title: 'Jeton d’enrôlement introuvable' },
  'inventory_rule.not_found': { title: 'Règle introuvable' },
  'software.not_found': { title: 'Logiciel introuvable' },
  'location.rack_too_small': {
    title: 'La baie contient un équipement plus haut',
    detail:
      'L’équipement « {name} » atteint le U {top} : déplacez-le avant de réduire la baie à {rackUnits} U.',
  },
  'asset.rack_slot_taken': {
    title: 'Place déjà occupée dans la baie',
    detail: 'L’équipement « {name} » occupe déjà les U {from} à {to} de cette baie.',
  },
  'location.not_rack': {
    title: 'Pas une baie',
    detail: 'Seule une baie a des positions en U ; cet emplacement est de type {kind}.',
  },
  'search.not_found': { title: 'Recherche enregistrée introuvable' },
  'kb_article.not_found': { title: 'Fiche de procédure introuvable' },
  'report_schedule.not_found': { title: 'Envoi programmé introuvable' },
  'kb_version.not_found': { title: 'Version introuvable', detail: 'Cette fiche n’a pas cette version.' },
  'diagnostic.not_found': { title: 'Arbre de diagnostic introuvable' },
  'diagnostic.not_published': {
    title: 'Arbre non publié',
    detail: 'Cet arbre de diagnostic n’est pas publié : publiez-le, ou parcourez-le en aperçu.',
  },
  'diagnostic.not_draft': {
    title: 'Seul un brouillon peut être supprimé',
    detail: 'Cet arbre de diagnostic a été publié : archivez-le plutôt.',
  },
  'diagnostic.stale_version': {
    title: 'L’arbre de diagnostic a changé',
    detail:
      'Ce parcours a commencé sur la version {version}, et la version {currentVersion} est publiée désormais : recommencez à la première question.',
  },
  'diagnostic.bad_answer': {
    title: 'Pas une réponse à cette question',
    detail:
      'La réponse {step} ne fait pas partie de celles proposées à cet endroit de l’arbre ; revenez à la dernière question.',
  },
  'file.empty': { title: 'Fichier vide', detail: 'Le fichier est vide.' },
  'file.too_large': {
    title: 'Fichier trop volumineux',
    detail: 'Les fichiers sont limités à {limit} octets.',
  },
  'file.bad_type': { title: 'Type de fichier inattendu', detail: 'Attendu : {expected}.' },
  'model.no_notice': {
    title: 'Pas de notice d’installation',
    detail: 'Aucune notice n’est jointe à ce modèle.',
  },
  'asset.bulk_failed': {
    title: 'Rien n’a été modifié',
    detail: '{count} des équipements choisis ne peuvent pas recevoir ce changement ; voir les erreurs.',
  },
  'import.unknown_encoding': {
    title: 'Fichier illisible',
    detail:
      'Ce n’est ni un CSV en UTF-8 ou Windows-1252, ni un classeur XLSX. Enregistrez-le en CSV (UTF-8) ou en XLSX.',
  },
  'import.unreadable_file': {
    title: 'Classeur illisible',
    detail: 'Le fichier XLSX est endommagé ou n’est pas un classeur Excel.',
  },
  'import.malformed_csv': {
    title: 'CSV mal formé',
    detail: 'Le fichier ne peut pas être lu comme un CSV vers la ligne {line} (guillemet non fermé ?).',
  },
  'import.bad_header': {
    title: 'Ligne d’en-tête incorrecte',
    detail:
      'La ligne 1 doit nommer chaque colonne une seule fois (au moins le nom, le numéro de série ou le numéro d’inventaire) ; vérifiez la ou les colonnes {columns}.',
  },
  'import.too_many_rows': {
    title: 'Trop de lignes',
    detail: 'Un import contient au plus {limit} lignes ; découpez le fichier.',
  },
  // Stock et commandes fournisseurs.
  'stock.insufficient': {
    title: 'Stock insuffisant',
    detail:
      '{available} disponible(s) ici pour {requested} demandé(s) ; le délai d’approvisionnement du fournisseur est de {leadTimeDays} jour(s) (livraison vers le {expectedDate} si la commande part aujourd’hui).',
  },
  'stock.reservation_mismatch': {
    title: 'Réservation désynchronisée',
    detail:
      'Seulement {reserved} réservé(s) ici pour {requested} à libérer ou utiliser ; rechargez la réservation.',
  },
  'stock.matrix_too_large': {
    title: 'Trop de niveaux à la fois',
    detail: 'Plus de {limit} niveaux : utilisez la liste paginée des niveaux avec des filtres.',
  },
  'stock_location.not_found': { title: 'Lieu de stockage introuvable' },
  'stock_location.in_use': {
    title: 'Lieu de stockage utilisé',
    detail:
      'Il contient encore du stock, une commande ouverte ou un inventaire en cours : videz-le ou clôturez-les d’abord.',
  },
  'stock_article.not_found': { title: 'Article introuvable' },
  'stock_article.in_use': {
    title: 'Article utilisé',
    detail: 'Il est encore en stock quelque part ou sur une commande ouverte.',
  },
  'stock_level.not_found': {
    title: 'Niveau de stock introuvable',
    detail: 'L’article et le lieu de stockage appartiennent à des organisations différentes.',
  },
  'stock_reservation.not_found': { title: 'Réservation introuvable' },
  'stock_reservation.not_active': {
    title: 'Réservation déjà close',
    detail: 'Cette réservation est {status} : plus rien à libérer ni à utiliser.',
  },
  'purchase_order.not_found': { title: 'Commande fournisseur introuvable' },
  'purchase_order.closed': { title: 'Commande close', detail: 'Cette commande est {status}.' },
  'purchase_order.already_received': {
    title: 'Livraison déjà reçue',
    detail: 'Le fournisseur, le lieu de stockage et les lignes ne changent plus après la première réception.',
  },
  'purchase_order.over_receipt': {
    title: 'Plus que commandé',
    detail:
      '{ordered} commandé(s), {received} déjà reçu(s), {receiving} maintenant : voir lines ; envoyez confirmOverReceipt: true pour recevoir le surplus volontairement.',
  },
  'disposal_batch.not_found': { title: 'Lot de réforme introuvable' },
  'disposal_batch.not_open': { title: 'Lot clos', detail: 'Ce lot est {status} : il ne peut plus changer.' },
  'disposal_batch.empty': {
    title: 'Lot vide',
    detail: 'Ajoutez les équipements qui partent avant de remettre le lot.',
  },
  'disposal_batch.unwiped': {
    title: 'Données non effacées',
    detail:
      'Aucun effacement réussi enregistré pour {count} support(s) de stockage : {names}. Enregistrez l’effacement, ou indiquez que l’équipement ne contient pas de données.',
  },
  'disposal.already_in_batch': {
    title: 'Déjà dans un lot de réforme',
    detail: 'Un équipement est déjà dans le lot {reference} (voir assets) : retirez-le d’abord de ce lot.',
  },
  'disposal_item.not_found': { title: 'Cet équipement n’est pas dans le lot' },
  // Interventions.
  'work_order.not_found': { title: 'Intervention introuvable' },
  'work_order.closed': {
    title: 'Intervention close',
    detail: 'Cette intervention est {status} : elle ne change plus.',
  },
  'work_order.bad_transition': {
    title: 'Changement d’état impossible',
    detail: 'Passer de {from} à {to} n’est pas permis ; depuis cet état : {allowed}.',
  },
  'work_order.checklist_incomplete': {
    title: 'Liste de contrôle incomplète',
    detail: '{count} point(s) obligatoire(s) non coché(s) : {labels}.',
  },
  'work_order.not_done': {
    title: 'Pas encore de rapport',
    detail: 'Le rapport d’intervention existe une fois l’intervention terminée (elle est {status}).',
  },
  'work_order_check.not_found': { title: 'Point de contrôle introuvable' },
  'work_order.unit_taken': {
    title: 'Unité déjà promise',
    detail: 'Une autre intervention en cours vient de prendre l’une de ces unités : choisissez-en une autre.',
  },
  'work_order_test.not_found': { title: 'Test de validation introuvable' },
  'planning.conflict': {
    title: 'Conflit de planning',
    detail:
      '{count} conflit(s) : le technicien est déjà pris ou quelqu’un est indisponible ; planifier quand même avec override.',
  },
  'unavailability.not_found': { title: 'Indisponibilité introuvable' },
  'calendar.not_found': {
    title: 'Calendrier introuvable',
    detail: 'Cette adresse d’abonnement est inconnue ou révoquée.',
  },
  'stock_take.not_found': { title: 'Inventaire introuvable' },
  'stock_take.closed': { title: 'Inventaire clos', detail: 'Cet inventaire est {status}.' },
  'stock_take.already_open': {
    title: 'Un inventaire est déjà en cours ici',
    detail: 'Terminez ou annulez d’abord l’inventaire en cours de ce lieu (stockTakeId).',
  },
  'stock_take.below_reserved': {
    title: 'Compté moins que réservé',
    detail:
      '{counted} compté(s) mais {reserved} réservé(s) (voir lines) : libérez ces réservations, ou recomptez, avant de valider.',
  },
};

/** Messages for field-level validation issues, keyed by zod issue code (plus a few of ours). */
const fieldEn: Record<string, string> = {
  required: 'Required',
  invalid_type: 'Expected {expected}',
  too_small: 'Too short or too small (minimum {minimum})',
  too_big: 'Too long or too large (maximum {maximum})',
  invalid_format: 'Invalid format ({format})',
  invalid_value: 'Not one of the allowed values: {values}',
  unrecognized_keys: 'Unknown field',
  invalid_union: 'Invalid value',
  not_multiple_of: 'Must be a multiple of {divisor}',
  time_zone: 'Unknown time zone',
  custom: 'Invalid value',
  duplicate: 'Already used',
  not_found: 'Not found',
  role_not_held: 'You do not hold this role in this organisation',
  bad_transition: 'This status change is not allowed',
  not_disposable: 'This asset cannot be disposed of from its current status',
  not_wiped: 'No successful data wipe recorded',
  in_future: 'Cannot be in the future',
  before_from: 'Must not be before the start',
  solution_required: 'A solution is needed to resolve',
  in_the_past: 'Already past',
  reopen_expired: 'The delay to reopen has passed',
  not_resolved: 'Not resolved yet',
  own_after_resolve: 'Longer than the time to resolve',
  bad_time: 'A time such as 08:30',
  overlap: 'Overlaps another range',
  unsorted: 'Ranges must be in order',
  start_not_before_end: 'Must start before it ends',
  bad_time_zone: 'An IANA time zone such as Europe/Paris',
  model_type_mismatch: 'This model is of another type',
  self_relation: 'An asset cannot be related to itself',
  wrong_password: 'Wrong password',
  bad_parent: 'Not allowed under this parent',
  cycle: 'Cannot be its own descendant',
  not_allowed: 'Not allowed here',
  ambiguous: 'Several records match "{value}"; give the full name',
  bad_date: 'Not a date: "{value}" (YYYY-MM-DD or DD/MM/YYYY)',
  bad_number: 'Not a number: "{value}"',
  bad_boolean: 'Not yes or no: "{value}"',
  duplicate_in_file: 'Already on line {line} of the file',
  duplicate_asset: 'Already used by the asset "{name}"',
  not_in_rack: 'Only an asset placed in a rack has a U position or height',
  beyond_rack: 'Goes past the top of the rack',
  slot_taken: 'Already occupied by another asset of the rack',
  bad_cidr: 'An IPv4 address or range such as 10.1.0.0/16',
  not_rack: 'This location is not a rack',
  too_many_values: 'More values than columns (a stray separator?)',
  invalid_tag: 'A tag cannot contain | or ,',
  unclosed_section: 'A {{#…}} or {{^…}} section is not closed by its {{/…}}',
  dangling: 'Leads to a node that is not in the tree',
  leaf_not_outcome: 'A question needs answers; a tree ends with outcomes',
  unreachable: 'No answer leads here from the first question',
  too_deep: 'More than 50 questions in a row',
  too_long: 'Too long for a ticket’s path (500 characters at most)',
  not_an_answer: 'Not one of the answers offered here',
  after_outcome: 'The walk had already reached an outcome',
  same_location: 'Must differ from the location it leaves',
  not_zero: 'Cannot be zero',
  article_or_model: 'An article or a model, not both',
  serials_count: 'One serial number per unit received',
  not_serialised: 'This line is counted by quantity: no serial numbers',
  not_in_stock: 'This unit is not in stock',
  other_model: 'This unit is of another model',
  held_by_work_order: 'Already promised to another open work order',
  period_too_long: 'The period is too long',
  unchecked: 'Not checked',
};
const fieldFr: Record<string, string> = {
  required: 'Obligatoire',
  invalid_type: 'Type attendu : {expected}',
  too_small: 'Trop court ou trop petit (minimum {minimum})',
  too_big: 'Trop long ou trop grand (maximum {maximum})',
  invalid_format: 'Format invalide ({format})',
  invalid_value: 'Doit être une des valeurs : {values}',
  unrecognized_keys: 'Champ inconnu',
  invalid_union: 'Valeur invalide',
  not_multiple_of: 'Doit être un multiple de {divisor}',
  time_zone: 'Fuseau horaire inconnu',
  custom: 'Valeur invalide',
  duplicate: 'Déjà utilisé',
  not_found: 'Introuvable',
  role_not_held: 'Vous n’avez pas ce rôle dans cette organisation',
  bad_transition: 'Ce changement de statut est interdit',
  not_disposable: 'Cet équipement ne peut pas être réformé depuis son statut actuel',
  not_wiped: 'Aucun effacement réussi enregistré',
  in_future: 'Ne peut pas être dans le futur',
  before_from: 'Ne doit pas précéder le début',
  solution_required: 'Une solution est nécessaire pour résoudre',
  in_the_past: 'Déjà passé',
  reopen_expired: 'Le délai pour rouvrir est dépassé',
  not_resolved: 'Pas encore résolu',
  own_after_resolve: 'Plus long que le délai de résolution',
  bad_time: 'Une heure comme 08:30',
  overlap: 'Chevauche une autre plage',
  unsorted: 'Les plages doivent être dans l’ordre',
  start_not_before_end: 'Doit commencer avant de finir',
  bad_time_zone: 'Un fuseau IANA comme Europe/Paris',
  model_type_mismatch: 'Ce modèle est d’un autre type',
  self_relation: 'Un équipement ne peut pas être relié à lui-même',
  wrong_password: 'Mot de passe incorrect',
  bad_parent: 'Interdit sous ce parent',
  cycle: 'Ne peut pas être son propre descendant',
  not_allowed: 'Interdit ici',
  ambiguous: 'Plusieurs fiches correspondent à « {value} » ; donnez le nom complet',
  bad_date: 'Date invalide : « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ)',
  bad_number: 'Nombre invalide : « {value} »',
  bad_boolean: 'Ni oui ni non : « {value} »',
  duplicate_in_file: 'Déjà à la ligne {line} du fichier',
  duplicate_asset: 'Déjà utilisé par l’équipement « {name} »',
  not_in_rack: 'Seul un équipement placé dans une baie a une position ou une hauteur en U',
  beyond_rack: 'Dépasse le haut de la baie',
  slot_taken: 'Déjà occupé par un autre équipement de la baie',
  bad_cidr: 'Une adresse ou une plage IPv4 comme 10.1.0.0/16',
  not_rack: 'Cet emplacement n’est pas une baie',
  too_many_values: 'Plus de valeurs que de colonnes (un séparateur en trop ?)',
  invalid_tag: 'Un mot-clé ne peut pas contenir | ni ,',
  unclosed_section: 'Une section {{#…}} ou {{^…}} n’est pas fermée par son {{/…}}',
  dangling: 'Mène à un nœud absent de l’arbre',
  leaf_not_outcome: 'Une question a besoin de réponses ; un arbre se termine par des conclusions',
  unreachable: 'Aucune réponse ne mène ici depuis la première question',
  too_deep: 'Plus de 50 questions à la suite',
  too_long: 'Trop long pour le parcours d’un ticket (500 caractères au plus)',
  not_an_answer: 'Pas une des réponses proposées ici',
  after_outcome: 'Le parcours avait déjà abouti à une conclusion',
  same_location: 'Doit différer du lieu de départ',
  not_zero: 'Ne peut pas être zéro',
  article_or_model: 'Un article ou un modèle, pas les deux',
  serials_count: 'Un numéro de série par unité reçue',
  not_serialised: 'Cette ligne se compte en quantité : pas de numéros de série',
  not_in_stock: 'Cette unité n’est pas en stock',
  other_model: 'Cette unité est d’un autre modèle',
  held_by_work_order: 'Déjà promise à une autre intervention en cours',
  period_too_long: 'La période est trop longue',
  unchecked: 'Non coché',
};

const catalogues: Record<Locale, Catalogue> = { en, fr };
const fieldCatalogues: Record<Locale, Record<string, string>> = { en: fieldEn, fr: fieldFr };

function interpolate(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) =>
    params[k] === undefined ? `{${k}}` : String(params[k]),
  );
}

export function problemText(
  locale: Locale,
  code: string,
  params: Record<string, unknown>,
): { title: string; detail: string | undefined } {
  const entry = catalogues[locale][code] ?? catalogues.en[code];
  if (!entry) return { title: code, detail: undefined };
  return { title: entry.title, detail: entry.detail ? interpolate(entry.detail, params) : undefined };
}

export function fieldText(locale: Locale, code: string, params: Record<string, unknown>): string {
  const text = fieldCatalogues[locale][code] ?? fieldCatalogues[locale].custom!;
  return interpolate(text, params);
}

export function knownProblemCodes(): string[] {
  return Object.keys(en);
}

export function localeFrom(acceptLanguage: string | undefined, fallback: Locale = 'fr'): Locale {
  if (!acceptLanguage) return fallback;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
