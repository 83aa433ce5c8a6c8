/**
 * Why one file of a deposit could not be read, in words for the issue's `found`. These are facts
 * about the file (the enterprise's to fix), not faults of the moment: the attempt is recorded with
 * the issue, and nothing is retried.
 */
export type UnreadableReason = 'missing' | 'version-missing' | 'archived' | 'customer-encrypted' | 'access-denied';

export const UNREADABLE_REASONS: Readonly<Record<UnreadableReason, string>> = {
  missing: '文件在读取前已不存在 / the object was gone before it could be read',
  'version-missing': '所通知的文件版本不存在 / the object version announced does not exist',
  archived: '文件处于归档存储类别，需先恢复 / the object is in an archive storage class and must be restored first',
  'customer-encrypted': '文件使用客户提供的密钥加密（SSE-C），系统无法读取 / the object is encrypted with a customer-provided key (SSE-C) and cannot be read',
  'access-denied': '无权读取该文件 / access to the object is denied',
};
