import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody, inflateBody, textDigest } from './formats/decode.js';
import { PayloadError } from './formats/errors.js';
import { parseOcsXml } from './formats/ocs-xml.js';
import { digestInWorker, prepareInWorker } from './parse-pool.js';
import { fromPrepared, prepareBody } from './prepare.js';
import { canonical, softwareOf } from './reconcile.js';
import { packInventory, unpackInventory } from './stored-inventory.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fusionXml = fs.readFileSync(path.join(FIXTURES, 'fusioninventory-2.6-inventory.xml'), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MAX = 64 * 1024 * 1024;

describe('the digest of a body', () => {
  it('is the SHA-256 of its decoded text, whatever the encoding', () => {
    const xml = (encoding: string, body: string) =>
      `<?xml version="1.0" encoding="${encoding}"?><REQUEST><DEVICEID>${body}</DEVICEID></REQUEST>`;
    const bodies = [
      Buffer.from(xml('UTF-8', 'Poste de l’accueil — été')),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('UTF-8', 'BOM é'))]),
      Buffer.from(`  \n${xml('UTF-8', 'leading spaces')}`),
      // Declared UTF-8 but windows-1252 bytes: read as windows-1252.
      Buffer.from(xml('UTF-8', 'caf\u00e9'), 'latin1'),
      Buffer.from(xml('ISO-8859-1', 'r\u00e9seau'), 'latin1'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml('UTF-16', 'seize'), 'utf16le')]),
      Buffer.from(JSON.stringify({ deviceid: 'json-é' })),
    ];
    for (const body of bodies) {
      for (const sent of [body, deflateSync(body), gzipSync(body)]) {
        expect(textDigest(inflateBody(sent))).toBe(sha256(decodeBody(sent).text));
      }
    }
  });
});

describe('the parser worker', () => {
  it('gives what parsing here gives, with the canonical form, digest and software of a full inventory', async () => {
    const body = deflateSync(Buffer.from(fusionXml));
    const digested = await digestInWorker(body, MAX);
    expect(digested.ticket).toBeDefined();
    expect(digested).toMatchObject({ format: 'xml', compression: 'zlib', digest: sha256(fusionXml) });
    const prepared = await prepareInWorker(body, MAX, digested.ticket);
    const here = parseOcsXml(fusionXml);
    if (here.kind !== 'inventory' || prepared.message.kind !== 'inventory')
      throw new Error('not an inventory');
    const stored = canonical({ ...here.inventory, partial: false });
    expect(prepared.canonical?.stored).toBe(stored);
    expect(prepared.canonical?.contentHash).toBe(sha256(stored));
    expect(prepared.canonical?.software).toEqual(softwareOf(here.inventory));
    expect(canonical(prepared.message.inventory)).toBe(stored);
    expect(unpackInventory(prepared.canonical?.packed)).toEqual(JSON.parse(stored));
    // Without the digest's ticket (another worker, or none kept) the body is decompressed again.
    expect((await prepareInWorker(body, MAX, undefined)).canonical?.stored).toBe(stored);
  });

  it('refuses what it cannot read with the reason and the compression it saw', async () => {
    const cut = deflateSync(Buffer.from(fusionXml)).subarray(0, 300);
    await expect(digestInWorker(cut, MAX)).rejects.toMatchObject({ reason: 'truncated' });
    const broken = gzipSync(Buffer.from('<REQUEST><QUERY>INVENTORY</QUERY><CONTENT>'));
    const digested = await digestInWorker(broken, MAX);
    const err = await prepareInWorker(broken, MAX, digested.ticket).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadError);
    expect(err).toMatchObject({ reason: 'malformed_xml', format: 'xml', compression: 'gzip' });
    await expect(digestInWorker(deflateSync(Buffer.alloc(2048, 0x41)), 1024)).rejects.toMatchObject({
      reason: 'too_large',
    });
  });

  it('keeps a partial inventory partial, with its previous agent id', () => {
    const partial = Buffer.from(
      JSON.stringify({ action: 'inventory', deviceid: 'p-1', partial: true, content: { softwares: [] } }),
    );
    const prepared = fromPrepared(prepareBody(partial, MAX));
    expect(prepared.canonical).toBeUndefined();
    expect(prepared.message).toMatchObject({
      kind: 'inventory',
      inventory: { deviceId: 'p-1', partial: true },
    });
    const renamed = fusionXml.replace('</DEVICEID>', '</DEVICEID><OLD_DEVICEID>old-id</OLD_DEVICEID>');
    const full = fromPrepared(prepareBody(Buffer.from(renamed), MAX));
    expect(full.message).toMatchObject({ inventory: { oldDeviceId: 'old-id', partial: false } });
  });
});

describe('stored inventories', () => {
  it('are packed and unpacked to the same JSON', () => {
    const json = JSON.stringify({ deviceId: 'x', partial: false, software: [{ name: 'été' }] });
    expect(unpackInventory(packInventory(json))).toEqual(JSON.parse(json));
    expect(packInventory(json).length).toBeLessThan(Buffer.byteLength(json) + 16);
    expect(unpackInventory(null)).toBeUndefined();
  });
});
