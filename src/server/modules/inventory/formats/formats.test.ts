import { readFileSync } from 'node:fs';
import { createDeflate, createGzip, deflateSync, gzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type AgentMessage,
  decodeBody,
  encodeGlpiReply,
  GLPI_SERVER_VERSION,
  glpiContactReply,
  glpiErrorReply,
  glpiInventoryReply,
  type Inventory,
  ocsInventoryReply,
  ocsPrologReply,
  ocsReplyContentType,
  PayloadError,
  type PayloadErrorReason,
  parseAgentBody,
  parseGlpiJson,
  parseOcsXml,
} from './index.js';
import { normalizeBiosDate, normalizeInstallDate, normalizeMac, toNonNegativeInt } from './normalize.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

const FUSION_PROLOG = fixture('fusioninventory-2.6-prolog.xml');
const FUSION_INVENTORY = fixture('fusioninventory-2.6-inventory.xml');
const GLPI_CONTACT = fixture('glpi-agent-1.12-contact.json');
const GLPI_INVENTORY = fixture('glpi-agent-1.12-inventory.json');

function reasonOf(fn: () => unknown): PayloadErrorReason | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof PayloadError) return err.reason;
    throw err;
  }
  return 'no error';
}

function inventoryOf(message: AgentMessage): Inventory {
  if (message.kind !== 'inventory') throw new Error(`expected an inventory, got ${message.kind}`);
  return message.inventory;
}

function xmlInventory(content: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><CONTENT>${content}</CONTENT><DEVICEID>pc-1</DEVICEID><QUERY>INVENTORY</QUERY>${extra}</REQUEST>`;
}

/** 200 MB of zeros, deflated (about 200 KB), without ever holding the 200 MB. */
async function zeroBomb(kind: 'zlib' | 'gzip', megabytes = 200): Promise<Buffer> {
  const stream = kind === 'zlib' ? createDeflate() : createGzip();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => stream.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) stream.write(zeros);
  stream.end();
  await done;
  return Buffer.concat(chunks);
}

describe('decodeBody', () => {
  it('tells compression and format from the bytes', () => {
    const xml = Buffer.from('<REQUEST/>');
    const json = Buffer.from('{"a":1}');
    expect(decodeBody(xml)).toEqual({ format: 'xml', text: '<REQUEST/>', compression: 'none' });
    expect(decodeBody(deflateSync(json))).toEqual({ format: 'json', text: '{"a":1}', compression: 'zlib' });
    expect(decodeBody(gzipSync(xml)).compression).toBe('gzip');
    for (const level of [1, 6, 9, 2]) {
      const body = deflateSync(xml, { level });
      expect(body[0]).toBe(0x78);
      expect(decodeBody(body)).toMatchObject({ format: 'xml', compression: 'zlib' });
    }
    expect(decodeBody(Buffer.from('\r\n  \t<A/>')).text).toBe('<A/>');
  });

  it('skips a UTF-8 BOM and reads UTF-16 with a BOM', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(decodeBody(Buffer.concat([bom, Buffer.from('{"name":"Hélène"}')])).text).toBe('{"name":"Hélène"}');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<A>é</A>', 'utf16le')]);
    expect(decodeBody(utf16)).toEqual({ format: 'xml', text: '<A>é</A>', compression: 'none' });
  });

  it('refuses empty, unknown and oversized bodies', () => {
    expect(reasonOf(() => decodeBody(Buffer.alloc(0)))).toBe('empty');
    expect(reasonOf(() => decodeBody(Buffer.from(' \n\t ')))).toBe('empty');
    expect(reasonOf(() => decodeBody(deflateSync(Buffer.alloc(0))))).toBe('empty');
    expect(reasonOf(() => decodeBody(Buffer.from('hello')))).toBe('unknown_format');
    expect(reasonOf(() => decodeBody(Buffer.from('[1,2]')))).toBe('unknown_format');
    expect(reasonOf(() => decodeBody(Buffer.from([0x89, 0x50, 0x4e, 0x47])))).toBe('unknown_format');
    expect(reasonOf(() => decodeBody(Buffer.from(`<A>${'x'.repeat(100)}</A>`), { maxInflated: 50 }))).toBe(
      'too_large',
    );
  });

  it('refuses a truncated or corrupt zlib or gzip stream', () => {
    const zlib = deflateSync(FUSION_INVENTORY);
    expect(reasonOf(() => decodeBody(zlib.subarray(0, zlib.length / 2)))).toBe('truncated');
    expect(reasonOf(() => decodeBody(zlib.subarray(0, zlib.length - 2)))).toBe('truncated');
    const gzip = gzipSync(FUSION_INVENTORY);
    expect(reasonOf(() => decodeBody(gzip.subarray(0, gzip.length - 10)))).toBe('truncated');
    const corrupt = Buffer.from(zlib);
    corrupt.fill(0xff, 100, 200);
    expect(reasonOf(() => decodeBody(corrupt))).toBe('truncated');
  });

  it('stops a decompression bomb at the cap, quickly', async () => {
    for (const kind of ['zlib', 'gzip'] as const) {
      const bomb = await zeroBomb(kind);
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const started = performance.now();
      expect(reasonOf(() => decodeBody(bomb, { maxInflated: 1024 * 1024 }))).toBe('too_large');
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('reads a Latin-1 body declared UTF-8 as Latin-1 (windows-1252)', () => {
    const xml = xmlInventory(
      '<SOFTWARES><NAME>Logiciel édité</NAME><PUBLISHER>Société Générale’s</PUBLISHER></SOFTWARES>',
    );
    const inventory = inventoryOf(parseAgentBody(deflateSync(toWindows1252(xml))).message);
    expect(inventory.software).toEqual([
      {
        name: 'Logiciel édité',
        publisher: 'Société Générale’s',
        version: undefined,
        arch: undefined,
        installDate: undefined,
      },
    ]);
    // Without any declaration, too.
    const bare = toWindows1252(
      '<REQUEST><DEVICEID>poste-comptabilité</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>',
    );
    expect(parseAgentBody(bare).message).toMatchObject({ kind: 'prolog', deviceId: 'poste-comptabilité' });
  });

  it('honours a declared ISO-8859-1 or windows-1252 encoding', () => {
    const xml = (encoding: string) =>
      `<?xml version="1.0" encoding="${encoding}"?><REQUEST><DEVICEID>bureau-1</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT><USERS><LOGIN>hélène</LOGIN><DOMAIN>SOCIÉTÉ</DOMAIN></USERS></CONTENT></REQUEST>`;
    for (const encoding of ['ISO-8859-1', 'iso-8859-1', 'windows-1252', 'ISO-8859-15']) {
      const inventory = inventoryOf(parseAgentBody(gzipSync(Buffer.from(xml(encoding), 'latin1'))).message);
      expect(inventory.users).toEqual([{ login: 'hélène', domain: 'SOCIÉTÉ' }]);
    }
    // windows-1252 (and its WHATWG aliases latin1, ISO-8859-1) has € and typographic quotes at 0x80-0x9F.
    const euro = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><REQUEST><DEVICEID>'),
      Buffer.from([0x80, 0x20, 0x93, 0x6f, 0x6b, 0x94]),
      Buffer.from('</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>'),
    ]);
    expect(parseAgentBody(euro).message).toMatchObject({ deviceId: '€ “ok”' });
    // The declaration wins even when the bytes happen to be valid UTF-8.
    const mojibake = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><REQUEST><DEVICEID>Ã©</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>',
      'latin1',
    );
    expect(Buffer.from('é', 'utf8').equals(Buffer.from('Ã©', 'latin1'))).toBe(true);
    expect(parseAgentBody(mojibake).message).toMatchObject({ deviceId: 'Ã©' });
    // Real UTF-8 stays UTF-8.
    const utf8 = Buffer.from(xml('UTF-8'), 'utf8');
    expect(inventoryOf(parseAgentBody(utf8).message).users).toEqual([{ login: 'hélène', domain: 'SOCIÉTÉ' }]);
  });
});

/** Encodes a string in windows-1252 (Latin-1 plus the typographic quotes used above). */
function toWindows1252(s: string): Buffer {
  return Buffer.from(
    [...s].map((c) => {
      if (c === '’') return 0x92;
      const code = c.charCodeAt(0);
      if (code > 0xff) throw new Error(`not windows-1252: ${c}`);
      return code;
    }),
  );
}

describe('FusionInventory 2.6 (OCS XML)', () => {
  it('parses the PROLOG', () => {
    const { message, compression } = parseAgentBody(deflateSync(FUSION_PROLOG));
    expect(compression).toBe('zlib');
    expect(message).toEqual({ kind: 'prolog', deviceId: 'vm-2026-11-29-06-59-04', token: '12345678' });
  });

  it('parses every section of the inventory', () => {
    const { message } = parseAgentBody(deflateSync(FUSION_INVENTORY));
    expect(message).toMatchObject({ kind: 'inventory', format: 'ocs-xml' });
    const inv = inventoryOf(message);
    expect(inv).toMatchObject({
      deviceId: 'vm-2026-11-29-06-59-04',
      agentVersion: 'FusionInventory-Agent_v2.6-3',
      partial: false,
      itemType: 'Computer',
      oldDeviceId: undefined,
      tag: undefined,
    });
    expect(inv.hardware).toEqual({
      name: 'vm',
      uuid: undefined,
      domain: undefined,
      memoryMb: 24105,
      chassisType: undefined,
      vmSystem: 'Docker',
      lastLoggedUser: 'wtmp',
      defaultGateway: '192.0.2.1',
      dns: '10.255.255.53',
    });
    // <SSN></SSN>: an empty string is no serial.
    expect(inv.bios?.serial).toBeUndefined();
    expect(inv.os).toEqual({
      name: 'Debian GNU/Linux',
      version: '12.11',
      fullName: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'x86_64',
      kernelName: 'linux',
      kernelVersion: '6.18.44-fc-v782',
      fqdn: 'vm',
    });
    // A single <CPUS> element is still a list.
    expect(inv.cpus).toEqual([
      { name: 'AMD EPYC', manufacturer: 'AMD', cores: 2, threads: 2, speedMhz: undefined },
    ]);
    expect(inv.storages).toEqual([
      {
        name: 'vda',
        model: undefined,
        manufacturer: 'Red Hat, Inc.',
        serial: '1996639227133604',
        sizeMb: 274877,
        type: 'disk',
      },
    ]);
    expect(inv.networks).toHaveLength(7);
    expect(inv.networks?.filter((n) => !n.virtual)).toEqual([
      {
        description: 'eth0',
        mac: '02:fc:00:00:00:01',
        ipv4: '192.0.2.2',
        ipv6: undefined,
        mask: '255.255.255.0',
        status: 'up',
        type: 'ethernet',
        virtual: false,
      },
      expect.objectContaining({ description: 'eth0', ipv6: 'fd00::2', virtual: false }),
      expect.objectContaining({ description: 'eth0', ipv6: 'fe80::fc:ff:fe00:1', virtual: false }),
    ]);
    expect(inv.networks?.filter((n) => n.virtual).map((n) => [n.description, n.mac])).toEqual([
      ['lo', '00:00:00:00:00:00'],
      ['lo', '00:00:00:00:00:00'],
      ['ifb0', 'd2:a0:88:00:5b:d9'],
      ['ifb1', '46:cd:6f:60:08:44'],
    ]);
    expect(inv.software).toHaveLength(930);
    expect(inv.software?.[0]).toEqual({
      name: 'adduser',
      version: '3.134',
      publisher: 'Debian',
      arch: 'all',
      installDate: undefined,
    });
    expect(inv.software?.find((s) => s.name === 'zstd')).toMatchObject({
      version: '1.5.4+dfsg2-5',
      arch: 'amd64',
    });
    expect(inv.software?.every((s) => s.name && s.version && s.publisher === 'Debian')).toBe(true);
    // Sections the XML does not carry: a complete inventory has none of them.
    expect(inv.memories).toEqual([]);
    expect(inv.users).toEqual([]);
    expect(inv.antivirus).toEqual([]);
    expect(inv.firewalls).toEqual([{ name: 'firewall', status: 'off' }]);
    expect(inv.updates).toBeUndefined();
  });

  it('gives the same result plain, zlib and gzip', () => {
    for (const sample of [FUSION_PROLOG, FUSION_INVENTORY, GLPI_CONTACT, GLPI_INVENTORY]) {
      const plain = parseAgentBody(sample);
      const zlib = parseAgentBody(deflateSync(sample));
      const gzip = parseAgentBody(gzipSync(sample));
      expect([plain.compression, zlib.compression, gzip.compression]).toEqual(['none', 'zlib', 'gzip']);
      expect(zlib.message).toEqual(plain.message);
      expect(gzip.message).toEqual(plain.message);
    }
  });
});

describe('parseOcsXml', () => {
  const WINDOWS = xmlInventory(
    `<ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>site-lyon</KEYVALUE></ACCOUNTINFO>
    <ANTIVIRUS><COMPANY>Microsoft Corporation</COMPANY><ENABLED>1</ENABLED><NAME>Windows Defender</NAME><UPTODATE>0</UPTODATE><VERSION>4.18.2</VERSION></ANTIVIRUS>
    <BIOS><ASSETTAG>INV-0042</ASSETTAG><BDATE>03/14/2014</BDATE><BVERSION>A12</BVERSION><MSN>/7XJ2/CN1296</MSN><SMANUFACTURER>Dell Inc.</SMANUFACTURER><SMODEL>OptiPlex 7010</SMODEL><SSN>7XJ2ABC</SSN><TYPE>Desktop</TYPE></BIOS>
    <CPUS><CORE>4</CORE><MANUFACTURER>Intel</MANUFACTURER><NAME>Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz</NAME><SPEED>3200</SPEED><THREAD>1</THREAD></CPUS>
    <FIREWALL><PROFILE>DOMAIN</PROFILE><STATUS>on</STATUS></FIREWALL>
    <FIREWALL><DESCRIPTION>Intel(R) 82579LM</DESCRIPTION><PROFILE>DOMAIN</PROFILE><STATUS>On</STATUS></FIREWALL>
    <HARDWARE><MEMORY>8097</MEMORY><NAME>PC-COMPTA-01</NAME><UUID>4C4C4544-0058-4A10-8032-B7C04F414243</UUID><WORKGROUP>corp.example</WORKGROUP><OSNAME>Microsoft Windows 10 Pro</OSNAME></HARDWARE>
    <MEMORIES><CAPACITY>4096</CAPACITY><CAPTION>DIMM1</CAPTION><SERIALNUMBER>12345678</SERIALNUMBER><SPEED>1600</SPEED><TYPE>DDR3</TYPE></MEMORIES>
    <MEMORIES><CAPACITY>4096</CAPACITY><CAPTION>DIMM2</CAPTION><SPEED>1600 MHz</SPEED><TYPE>DDR3</TYPE></MEMORIES>
    <MEMORIES><CAPACITY></CAPACITY><CAPTION>DIMM3</CAPTION><NUMSLOTS>3</NUMSLOTS></MEMORIES>
    <NETWORKS><DESCRIPTION>Intel(R) 82579LM Gigabit</DESCRIPTION><IPADDRESS>10.0.0.12</IPADDRESS><IPMASK>255.255.255.0</IPMASK><MACADDR>90-B1-1C-AA-BB-CC</MACADDR><STATUS>Up</STATUS><VIRTUALDEV>0</VIRTUALDEV></NETWORKS>
    <NETWORKS><DESCRIPTION>VirtualBox Host-Only</DESCRIPTION><MACADDR>0A:00:27:00:00:0B</MACADDR><STATUS>Up</STATUS><VIRTUALDEV>1</VIRTUALDEV></NETWORKS>
    <NETWORKS><DESCRIPTION>Teredo</DESCRIPTION><MACADDR>00:00:00:00:00:00</MACADDR><STATUS>Down</STATUS></NETWORKS>
    <SOFTWARES><NAME>AT&amp;T Connect &#8482;</NAME><VERSION>9.7</VERSION><PUBLISHER>AT&amp;T</PUBLISHER><INSTALLDATE>25/12/2020</INSTALLDATE><ARCH>i586</ARCH></SOFTWARES>
    <SOFTWARES><VERSION>1.0</VERSION></SOFTWARES>
    <STORAGES><DISKSIZE>476940</DISKSIZE><MANUFACTURER>Samsung</MANUFACTURER><MODEL>SSD 860 EVO 500GB</MODEL><NAME>\\\\.\\PHYSICALDRIVE0</NAME><SERIALNUMBER>S3Z1NB0K</SERIALNUMBER><TYPE>disk</TYPE></STORAGES>
    <USERS><DOMAIN>CORP</DOMAIN><LOGIN>jdupont</LOGIN></USERS>
    <VERSIONCLIENT>OCS-NG_WINDOWS_AGENT_v2.9.0.0</VERSIONCLIENT>`,
    '<OLD_DEVICEID>PC-COMPTA-01-2019-01-01-00-00-00</OLD_DEVICEID>',
  );

  it('fills every section, normalising values', () => {
    const inv = inventoryOf(parseOcsXml(WINDOWS));
    expect(inv.tag).toBe('site-lyon');
    expect(inv.oldDeviceId).toBe('PC-COMPTA-01-2019-01-01-00-00-00');
    expect(inv.agentVersion).toBe('OCS-NG_WINDOWS_AGENT_v2.9.0.0');
    expect(inv.hardware).toMatchObject({
      name: 'PC-COMPTA-01',
      uuid: '4C4C4544-0058-4A10-8032-B7C04F414243',
      domain: 'corp.example',
      memoryMb: 8097,
      chassisType: 'Desktop',
    });
    expect(inv.bios).toEqual({
      serial: '7XJ2ABC',
      manufacturer: 'Dell Inc.',
      model: 'OptiPlex 7010',
      version: 'A12',
      date: '2014-03-14',
      assetTag: 'INV-0042',
      boardSerial: '/7XJ2/CN1296',
    });
    expect(inv.os).toMatchObject({ name: 'Microsoft Windows 10 Pro', fullName: 'Microsoft Windows 10 Pro' });
    expect(inv.cpus).toEqual([
      {
        name: 'Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz',
        manufacturer: 'Intel',
        cores: 4,
        threads: 1,
        speedMhz: 3200,
      },
    ]);
    expect(inv.memories).toEqual([
      { capacityMb: 4096, type: 'DDR3', speedMhz: 1600, serial: '12345678', slot: 'DIMM1' },
      { capacityMb: 4096, type: 'DDR3', speedMhz: 1600, serial: undefined, slot: 'DIMM2' },
      { capacityMb: undefined, type: undefined, speedMhz: undefined, serial: undefined, slot: 'DIMM3' },
    ]);
    expect(inv.storages).toEqual([
      {
        name: '\\\\.\\PHYSICALDRIVE0',
        model: 'SSD 860 EVO 500GB',
        manufacturer: 'Samsung',
        serial: 'S3Z1NB0K',
        sizeMb: 476940,
        type: 'disk',
      },
    ]);
    expect(inv.networks?.map((n) => [n.mac, n.virtual, n.status])).toEqual([
      ['90:b1:1c:aa:bb:cc', false, 'up'],
      ['0a:00:27:00:00:0b', true, 'up'],
      ['00:00:00:00:00:00', true, 'down'],
    ]);
    // The software without a name is dropped; entities are decoded; DD/MM/YYYY becomes ISO.
    expect(inv.software).toEqual([
      { name: 'AT&T Connect ™', version: '9.7', publisher: 'AT&T', arch: 'i586', installDate: '2020-12-25' },
    ]);
    expect(inv.users).toEqual([{ login: 'jdupont', domain: 'CORP' }]);
    expect(inv.antivirus).toEqual([
      { name: 'Windows Defender', enabled: true, upToDate: false, version: '4.18.2' },
    ]);
    expect(inv.firewalls).toEqual([
      { name: 'DOMAIN', status: 'on' },
      { name: 'Intel(R) 82579LM', status: 'on' },
    ]);
  });

  it('reads the HARDWARE-only description of old OCS agents', () => {
    const inv = inventoryOf(
      parseOcsXml(
        xmlInventory(
          '<HARDWARE><NAME>srv</NAME><OSNAME>CentOS Linux release 7.9</OSNAME><OSVERSION>3.10.0-1160.el7.x86_64</OSVERSION><PROCESSORT>Intel Xeon</PROCESSORT><PROCESSORS>2400</PROCESSORS><PROCESSORN>2</PROCESSORN></HARDWARE>',
        ),
      ),
    );
    expect(inv.os).toMatchObject({
      fullName: 'CentOS Linux release 7.9',
      kernelVersion: '3.10.0-1160.el7.x86_64',
      version: undefined,
    });
    expect(inv.cpus).toEqual([
      { name: 'Intel Xeon', speedMhz: 2400 },
      { name: 'Intel Xeon', speedMhz: 2400 },
    ]);
  });

  it('refuses malformed XML', () => {
    expect(reasonOf(() => parseOcsXml('<REQUEST><DEVICEID>x</REQUEST>'))).toBe('malformed_xml');
    expect(reasonOf(() => parseOcsXml('<REQUEST><NAME>a & b</NAME></REQUEST>'))).toBe('malformed_xml');
    expect(reasonOf(() => parseOcsXml('<REQUEST><DEVICEID>x</DEVICEID>'))).toBe('malformed_xml');
    expect(reasonOf(() => parseAgentBody(deflateSync(Buffer.from('<REQUEST><A></B></REQUEST>'))))).toBe(
      'malformed_xml',
    );
  });

  it('refuses requests it does not handle', () => {
    expect(reasonOf(() => parseOcsXml('<REQUEST><QUERY>PROLOG</QUERY></REQUEST>'))).toBe('missing_device_id');
    expect(
      reasonOf(() => parseOcsXml('<REQUEST><DEVICEID> </DEVICEID><QUERY>PROLOG</QUERY></REQUEST>')),
    ).toBe('missing_device_id');
    expect(
      reasonOf(() => parseOcsXml('<REQUEST><DEVICEID>x</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>')),
    ).toBe('unsupported_query');
    expect(reasonOf(() => parseOcsXml('<REQUEST><DEVICEID>x</DEVICEID></REQUEST>'))).toBe(
      'unsupported_query',
    );
    expect(reasonOf(() => parseOcsXml('<REPLY><RESPONSE>SEND</RESPONSE></REPLY>'))).toBe('unknown_format');
  });

  it('does not expand DOCTYPE entities (billion laughs) nor read external ones (XXE)', () => {
    const laughs = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
    ).join('\n');
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE REQUEST [
<!ENTITY lol0 "lol">
${laughs}
]>
<REQUEST><DEVICEID>&lol9;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;
    const started = performance.now();
    const message = parseAgentBody(Buffer.from(bomb)).message;
    expect(message).toEqual({ kind: 'prolog', deviceId: '&lol9;', token: undefined });
    expect(performance.now() - started).toBeLessThan(1000);

    const xxe = `<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>`;
    let deviceId: string | undefined;
    try {
      const parsed = parseOcsXml(xxe);
      deviceId = parsed.kind === 'prolog' ? parsed.deviceId : undefined;
    } catch (err) {
      expect((err as PayloadError).reason).toBe('malformed_xml');
    }
    expect(deviceId ?? '').not.toContain('root:');
  });

  it('keeps element names that look like JavaScript internals harmless', () => {
    const message = parseOcsXml(
      '<REQUEST><DEVICEID>x</DEVICEID><QUERY>PROLOG</QUERY><__proto__><polluted>1</polluted></__proto__><constructor>c</constructor></REQUEST>',
    );
    expect(message).toEqual({ kind: 'prolog', deviceId: 'x', token: undefined });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('GLPI agent 1.12 (JSON)', () => {
  it('parses the CONTACT', () => {
    const { message, compression } = parseAgentBody(deflateSync(GLPI_CONTACT));
    expect(compression).toBe('zlib');
    expect(message).toEqual({
      kind: 'contact',
      deviceId: 'vm-2026-11-29-07-05-19',
      agentVersion: 'GLPI-Agent_v1.12-dev',
      tag: undefined,
      enabledTasks: [
        'collect',
        'deploy',
        'esx',
        'inventory',
        'netdiscovery',
        'netinventory',
        'remoteinventory',
        'wakeonlan',
      ],
    });
  });

  it('parses the inventory', () => {
    const { message } = parseAgentBody(deflateSync(GLPI_INVENTORY));
    expect(message).toMatchObject({ kind: 'inventory', format: 'glpi-json' });
    const inv = inventoryOf(message);
    expect(inv).toMatchObject({
      deviceId: 'vm-2026-11-29-07-04-08',
      agentVersion: 'GLPI-Inventory_v1.12-dev',
      partial: false,
      itemType: 'Computer',
    });
    expect(inv.hardware).toMatchObject({
      name: 'vm',
      memoryMb: 24105,
      vmSystem: 'Docker',
      dns: '10.255.255.53',
    });
    expect(inv.bios?.serial).toBeUndefined();
    expect(inv.os).toEqual({
      name: 'Debian GNU/Linux',
      version: '12.11',
      fullName: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'x86_64',
      kernelName: 'linux',
      kernelVersion: '6.18.44-fc-v782',
      fqdn: 'vm',
    });
    expect(inv.cpus).toEqual([
      { name: 'AMD EPYC', manufacturer: 'AMD', cores: 2, threads: 1, speedMhz: undefined },
    ]);
    expect(inv.storages).toEqual([
      {
        name: 'vda',
        model: undefined,
        manufacturer: 'Red Hat, Inc.',
        serial: '1996639227133604',
        sizeMb: 274877,
        type: 'disk',
      },
    ]);
    expect(
      inv.networks?.filter((n) => !n.virtual).map((n) => [n.description, n.mac, n.ipv4 ?? n.ipv6]),
    ).toEqual([
      ['eth0', '02:fc:00:00:00:01', '192.0.2.2'],
      ['eth0', '02:fc:00:00:00:01', 'fd00::2'],
      ['eth0', '02:fc:00:00:00:01', 'fe80::fc:ff:fe00:1'],
    ]);
    expect(inv.networks?.filter((n) => n.virtual)).toHaveLength(4);
    expect(inv.software).toHaveLength(930);
    expect(inv.software?.[0]).toEqual({
      name: 'adduser',
      version: '3.134',
      publisher: 'Debian',
      arch: 'all',
      installDate: undefined,
    });
    // local_users (25 accounts, root included) are not users logged in.
    expect(inv.users).toEqual([]);
    expect(inv.memories).toEqual([]);
    expect(inv.firewalls).toEqual([{ name: 'firewalld', status: 'off' }]);
    expect(inv.updates).toBeUndefined();
  });

  it('agrees with the FusionInventory inventory of the same machine', () => {
    const fusion = inventoryOf(parseAgentBody(FUSION_INVENTORY).message);
    const glpi = inventoryOf(parseAgentBody(GLPI_INVENTORY).message);
    expect(glpi.software).toEqual(fusion.software);
    expect(glpi.os).toEqual(fusion.os);
    expect(glpi.storages).toEqual(fusion.storages);
    expect(glpi.networks).toEqual(fusion.networks);
  });
});

describe('parseGlpiJson', () => {
  const partial = {
    action: 'inventory',
    deviceid: 'pc-2',
    partial: true,
    itemtype: 'Computer',
    content: {
      versionclient: 'parc-agent/0.1.0',
      softwares: [{ name: 'firefox', version: '128.0', publisher: 'Mozilla', install_date: '2024-07-09' }],
      updates: [
        { name: 'openssl', version: '3.0.15-1', security: true },
        { name: 'tzdata', version: '2024b', security: false },
      ],
    },
  };

  it('leaves the sections a partial inventory does not send undefined', () => {
    const inv = inventoryOf(parseGlpiJson(JSON.stringify(partial)));
    expect(inv.partial).toBe(true);
    expect(inv.agentVersion).toBe('parc-agent/0.1.0');
    expect(inv.software).toEqual([
      { name: 'firefox', version: '128.0', publisher: 'Mozilla', arch: undefined, installDate: '2024-07-09' },
    ]);
    expect(inv.updates).toEqual([
      { name: 'openssl', version: '3.0.15-1', security: true },
      { name: 'tzdata', version: '2024b', security: false },
    ]);
    for (const key of [
      'hardware',
      'bios',
      'os',
      'cpus',
      'memories',
      'storages',
      'networks',
      'users',
      'antivirus',
      'firewalls',
    ] as const) {
      expect(inv[key], key).toBeUndefined();
    }
  });

  it('reads absent list sections of a full inventory as empty', () => {
    const inv = inventoryOf(parseGlpiJson(JSON.stringify({ ...partial, partial: false })));
    expect(inv.partial).toBe(false);
    expect(inv.networks).toEqual([]);
    expect(inv.users).toEqual([]);
    expect(inv.hardware).toBeUndefined();
  });

  it('drops wrongly typed fields instead of failing', () => {
    const inv = inventoryOf(
      parseGlpiJson(
        JSON.stringify({
          deviceid: 'pc-3',
          tag: 'paris',
          content: {
            hardware: { name: 42, memory: 'lots', uuid: { nested: true }, workgroup: 'CORP' },
            bios: 'not an object',
            cpus: [{ name: 'Xeon', core: '8', thread: -1, speed: 'fast' }],
            softwares: [{ version: '1.0' }, { name: '' }, { name: 'vim', version: 9 }, 'junk'],
            networks: 'oops',
            memories: [{ capacity: 16384, speed: '3200 MT/s', caption: 'DIMM 0' }],
            antivirus: [{ company: 'ESET', enabled: 1, uptodate: 'yes' }],
            users: [{ login: 'alice', domain: 'CORP' }, { domain: 'no login' }],
            local_users: [{ login: 'root', id: '0' }],
            firewalls: [{ profile: 'PublicProfile', status: 'ON' }, { status: 'off' }],
          },
        }),
      ),
    );
    expect(inv.tag).toBe('paris');
    expect(inv.hardware).toMatchObject({ name: '42', memoryMb: undefined, uuid: undefined, domain: 'CORP' });
    expect(inv.bios).toBeUndefined();
    expect(inv.cpus).toEqual([
      { name: 'Xeon', manufacturer: undefined, cores: 8, threads: undefined, speedMhz: undefined },
    ]);
    expect(inv.software?.map((s) => [s.name, s.version])).toEqual([['vim', '9']]);
    // Sent but unreadable: unknown, not "none".
    expect(inv.networks).toBeUndefined();
    expect(inv.memories).toEqual([
      { capacityMb: 16384, type: undefined, speedMhz: 3200, serial: undefined, slot: 'DIMM 0' },
    ]);
    expect(inv.antivirus).toEqual([{ name: 'ESET', enabled: true, upToDate: true, version: undefined }]);
    expect(inv.users).toEqual([{ login: 'alice', domain: 'CORP' }]);
    expect(inv.firewalls).toEqual([
      { name: 'PublicProfile', status: 'on' },
      { name: 'firewall', status: 'off' },
    ]);
  });

  it('finds the tag in content or in its ACCOUNTINFO', () => {
    const base = { action: 'inventory', deviceid: 'x' };
    expect(inventoryOf(parseGlpiJson(JSON.stringify({ ...base, content: { tag: 'a' } }))).tag).toBe('a');
    const accountinfo = { accountinfo: [{ keyname: 'TAG', keyvalue: 'b' }] };
    expect(inventoryOf(parseGlpiJson(JSON.stringify({ ...base, content: accountinfo }))).tag).toBe('b');
  });

  it('refuses what it cannot use', () => {
    expect(reasonOf(() => parseGlpiJson('{"action":"inventory",'))).toBe('malformed_json');
    expect(reasonOf(() => parseAgentBody(gzipSync(Buffer.from('{"deviceid": x}'))))).toBe('malformed_json');
    expect(reasonOf(() => parseGlpiJson('{"action":"inventory","content":{}}'))).toBe('missing_device_id');
    expect(reasonOf(() => parseGlpiJson('{"action":"contact","deviceid":""}'))).toBe('missing_device_id');
    expect(reasonOf(() => parseGlpiJson('{"action":"inventory","deviceid":"x"}'))).toBe('malformed_json');
    expect(reasonOf(() => parseGlpiJson('{"action":"netdiscovery","deviceid":"x"}'))).toBe(
      'unsupported_query',
    );
    expect(reasonOf(() => parseGlpiJson('"inventory"'))).toBe('unknown_format');
  });

  it('tells the server the format and compression of a refused body', () => {
    try {
      parseAgentBody(deflateSync(Buffer.from('{"action":"contact"}')));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PayloadError);
      expect(err).toMatchObject({ reason: 'missing_device_id', format: 'json', compression: 'zlib' });
    }
  });
});

describe('normalisation', () => {
  it('writes MAC addresses lower case with colons', () => {
    expect(normalizeMac('00-1A-2B-3C-4D-5E')).toBe('00:1a:2b:3c:4d:5e');
    expect(normalizeMac('001A2B3C4D5E')).toBe('00:1a:2b:3c:4d:5e');
    expect(normalizeMac('001a.2b3c.4d5e')).toBe('00:1a:2b:3c:4d:5e');
    expect(normalizeMac('0:1a:2b:3c:4d:5e')).toBe('00:1a:2b:3c:4d:5e');
    expect(normalizeMac(' ')).toBeUndefined();
  });

  it('reads dates and numbers', () => {
    expect(normalizeInstallDate('25/12/2020')).toBe('2020-12-25');
    expect(normalizeInstallDate('20201225')).toBe('2020-12-25');
    expect(normalizeInstallDate('2020-12-25 10:00:00')).toBe('2020-12-25');
    expect(normalizeInstallDate('someday')).toBe('someday');
    expect(normalizeBiosDate('03/14/2014')).toBe('2014-03-14');
    expect(toNonNegativeInt('1600 MT/s')).toBe(1600);
    expect(toNonNegativeInt('-1')).toBeUndefined();
    expect(toNonNegativeInt('No')).toBeUndefined();
  });
});

describe('replies', () => {
  const inflate = (body: Buffer) => inflateSync(body).toString('utf8');

  it('answers an OCS PROLOG with zlib-compressed XML', () => {
    const send = ocsPrologReply({ send: true, frequencyHours: 24 });
    expect([...send.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(inflate(send)).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?><REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ></REPLY>',
    );
    expect(inflate(ocsPrologReply({ send: false, frequencyHours: 12 }))).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?><REPLY><RESPONSE>STOP</RESPONSE><PROLOG_FREQ>12</PROLOG_FREQ></REPLY>',
    );
    const gzip = ocsPrologReply({ send: true, frequencyHours: 0.2 }, 'gzip');
    expect([...gzip.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    expect(decodeBody(gzip).text).toContain('<PROLOG_FREQ>1</PROLOG_FREQ>');
    expect(ocsPrologReply({ send: true, frequencyHours: 24 }, 'none').toString()).toMatch(
      /^<\?xml .*<\/REPLY>$/,
    );
    expect(ocsReplyContentType()).toBe('application/x-compress-zlib');
  });

  it('answers an OCS inventory', () => {
    const body = ocsInventoryReply();
    expect([...body.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(inflate(body)).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?><REPLY><RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE></REPLY>',
    );
  });

  it('answers a GLPI CONTACT like GLPI does', () => {
    const contact = parseAgentBody(GLPI_CONTACT).message;
    const enabledTasks = contact.kind === 'contact' ? contact.enabledTasks : undefined;
    expect(glpiContactReply({ expirationHours: 24, inventory: true })).toEqual({
      status: 'ok',
      expiration: 24,
      tasks: { inventory: { server: 'glpi', version: GLPI_SERVER_VERSION } },
    });
    expect(glpiContactReply({ expirationHours: 24, inventory: true, enabledTasks })).toEqual({
      status: 'ok',
      expiration: 24,
      tasks: { inventory: { server: 'glpi', version: GLPI_SERVER_VERSION } },
      disabled: ['collect', 'deploy', 'esx', 'netdiscovery', 'netinventory', 'remoteinventory', 'wakeonlan'],
    });
    expect(glpiContactReply({ expirationHours: 6, inventory: false })).toEqual({
      status: 'ok',
      expiration: 6,
      disabled: ['inventory'],
    });

    const encoded = encodeGlpiReply(glpiContactReply({ expirationHours: 24, inventory: true }), 'zlib');
    expect(encoded.contentType).toBe('application/x-compress-zlib');
    expect([...encoded.body.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(JSON.parse(inflate(encoded.body))).toEqual({
      status: 'ok',
      expiration: 24,
      tasks: { inventory: { server: 'glpi', version: GLPI_SERVER_VERSION } },
    });
    expect(encodeGlpiReply(glpiInventoryReply()).contentType).toBe('application/json');
    expect(encodeGlpiReply(glpiInventoryReply(), 'gzip').contentType).toBe('application/x-compress-gzip');
  });

  it('answers a GLPI inventory and refusals', () => {
    expect(glpiInventoryReply()).toEqual({ status: 'ok' });
    expect(glpiInventoryReply({ expirationHours: 24 })).toEqual({ status: 'ok', expiration: 24 });
    expect(glpiErrorReply('missing_device_id')).toEqual({ status: 'error', message: 'missing_device_id' });
    const { body } = encodeGlpiReply(glpiErrorReply('too_large'), 'zlib');
    expect(JSON.parse(inflate(body))).toEqual({ status: 'error', message: 'too_large' });
  });
});
