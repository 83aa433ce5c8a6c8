/**
 * Receipts signed by an asymmetric AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): the private key never
 * leaves KMS, and every signature is in CloudTrail. KMS returns the signature DER-encoded, which is
 * what receipts carry.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { ReceiptSigner } from '#app/ports.ts';
import { RECEIPT_SIGNATURE_ALG } from '#domain/receipt.ts';

/** KMS signs a RAW message of at most 4096 bytes; a longer receipt is signed by its SHA-256 digest. */
export const KMS_RAW_MESSAGE_LIMIT = 4096;

export class KmsReceiptSigner implements ReceiptSigner {
  /** Per container: the key does not change, and overlapping calls share one GetPublicKey. */
  private publicKey?: Promise<string>;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(bytes: Uint8Array): Promise<{ keyId: string; alg: string; value: string }> {
    // ECDSA_SHA_256 over a DIGEST is the same signature as over the RAW message it digests, so the
    // verifier never needs to know which was sent.
    const raw = bytes.length <= KMS_RAW_MESSAGE_LIMIT;
    const { Signature, KeyId } = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: raw ? bytes : createHash('sha256').update(bytes).digest(),
        MessageType: raw ? 'RAW' : 'DIGEST',
        SigningAlgorithm: RECEIPT_SIGNATURE_ALG,
      }),
    );
    if (!Signature) throw new Error(`KMS returned no signature for key ${this.keyId}`);
    return { keyId: KeyId ?? this.keyId, alg: RECEIPT_SIGNATURE_ALG, value: Buffer.from(Signature).toString('base64') };
  }

  publicKeyPem(): Promise<string> {
    if (!this.publicKey) {
      const pending = this.fetchPublicKey();
      this.publicKey = pending;
      // A failed fetch (throttle, timeout) is not cached: the next request tries again.
      pending.catch(() => {
        if (this.publicKey === pending) this.publicKey = undefined;
      });
    }
    return this.publicKey;
  }

  private async fetchPublicKey(): Promise<string> {
    const { PublicKey, KeySpec, SigningAlgorithms = [] } = await this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (!PublicKey) throw new Error(`KMS returned no public key for ${this.keyId}`);
    // A misconfigured key (RSA, symmetric, other curve) would sign receipts nobody can check as documented.
    if (KeySpec !== 'ECC_NIST_P256' || !SigningAlgorithms.includes(RECEIPT_SIGNATURE_ALG))
      throw new Error(`KMS key ${this.keyId} is ${KeySpec ?? 'of unknown spec'}; receipts need an ECC_NIST_P256 key that signs with ${RECEIPT_SIGNATURE_ALG}`);
    return createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
  }
}
