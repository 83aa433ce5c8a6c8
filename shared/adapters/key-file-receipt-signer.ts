/**
 * Receipts signed by a P-256 key kept in a file: the twin's stand-in for the KMS key. The key is
 * created on first use if the file is absent and never overwritten, so receipts issued by one run
 * of the twin still verify in the next. Signatures are DER, as KMS returns them.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReceiptSigner } from '#app/ports.ts';
import { keyFingerprint, RECEIPT_SIGNATURE_ALG } from '#domain/receipt.ts';

interface LoadedKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

export class KeyFileReceiptSigner implements ReceiptSigner {
  private key?: Promise<LoadedKey>;

  constructor(private readonly path: string) {}

  async sign(bytes: Uint8Array): Promise<{ keyId: string; alg: string; value: string }> {
    const { privateKey, keyId } = await this.loaded();
    return { keyId, alg: RECEIPT_SIGNATURE_ALG, value: sign('sha256', bytes, { key: privateKey, dsaEncoding: 'der' }).toString('base64') };
  }

  async publicKeyPem(): Promise<string> {
    return (await this.loaded()).publicKeyPem;
  }

  private loaded(): Promise<LoadedKey> {
    if (!this.key) {
      const pending = this.load();
      this.key = pending;
      pending.catch(() => {
        if (this.key === pending) this.key = undefined;
      });
    }
    return this.key;
  }

  private async load(): Promise<LoadedKey> {
    const pem = (await readExisting(this.path)) ?? (await createOnce(this.path));
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      throw new Error(`${this.path} is not a P-256 private key; receipts are signed with ${RECEIPT_SIGNATURE_ALG}`);
    const publicKey = createPublicKey(privateKey);
    return {
      privateKey,
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      keyId: `sha256:${keyFingerprint(publicKey)}`,
    };
  }
}

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a new key beside the target and links it into place: link() fails if the target exists,
 * so two processes starting at once keep one key, and no reader ever sees a half-written file.
 */
async function createOnce(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const scratch = `${path}.${randomUUID()}.tmp`;
  await writeFile(scratch, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(scratch, path);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFile(path, 'utf8');
  } finally {
    await unlink(scratch);
  }
}
