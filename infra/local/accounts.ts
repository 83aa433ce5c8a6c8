/**
 * The people the twin's OpenID provider knows: one account for each role the system serves, and
 * a second of each where "another's" matters (another enterprise, city, province), so a newcomer
 * can sign in as anyone and the authorisation tests can try every role against its neighbours.
 * `npm start` prints them; the README lists them.
 */
import { CEMENT_ENTERPRISE } from '#examples/industries.ts';
import { demoCreditCode } from './demo.ts';

/** Every seeded account's password: the twin is a machine of one's own, not a place for secrets. */
export const TWIN_PASSWORD = 'evidence-twin';

export interface TwinAccount {
  /** What one types on the sign-in page; also the token's `sub`. */
  readonly username: string;
  readonly name: string;
  /** The claims the account's tokens carry (the default claim mapping's names, shared/domain/identity.ts). */
  readonly claims: {
    readonly evidence_role: 'enterprise' | 'reviewer' | 'department' | 'administrator';
    readonly credit_code?: string;
    readonly review_level?: 'city' | 'province';
    readonly jurisdiction?: string;
  };
}

/** The example enterprise (examples/enterprise.json), in 南昌. */
export const EXAMPLE_ENTERPRISE_ID = '91360100MA35XXXXXN';
/** A demo enterprise in 九江 (demo.ts numbers them from 1; the fourth is 九江's). */
export const JIUJIANG_ENTERPRISE_ID = demoCreditCode(4, '360400');

export const TWIN_ACCOUNTS: readonly TwinAccount[] = [
  { username: 'clerk', name: '江西示范发电 填报员', claims: { evidence_role: 'enterprise', credit_code: EXAMPLE_ENTERPRISE_ID } },
  { username: 'clerk-jiujiang', name: '九江第4发电 填报员', claims: { evidence_role: 'enterprise', credit_code: JIUJIANG_ENTERPRISE_ID } },
  // A clinker line's clerk: the portal's template, pre-check and upload for another industry than power.
  { username: 'clerk-cement', name: '九江示范水泥 填报员', claims: { evidence_role: 'enterprise', credit_code: CEMENT_ENTERPRISE.enterpriseId } },
  { username: 'reviewer-nanchang', name: '南昌市审核员', claims: { evidence_role: 'reviewer', review_level: 'city', jurisdiction: '360100' } },
  { username: 'reviewer-jiujiang', name: '九江市审核员', claims: { evidence_role: 'reviewer', review_level: 'city', jurisdiction: '360400' } },
  { username: 'reviewer-jiangxi', name: '江西省审核员', claims: { evidence_role: 'reviewer', review_level: 'province', jurisdiction: '360000' } },
  { username: 'reviewer-hunan', name: '湖南省审核员', claims: { evidence_role: 'reviewer', review_level: 'province', jurisdiction: '430000' } },
  { username: 'dept-jiangxi', name: '江西省生态环境厅', claims: { evidence_role: 'department', jurisdiction: '360000' } },
  { username: 'dept-nanchang', name: '南昌市生态环境局', claims: { evidence_role: 'department', jurisdiction: '360100' } },
  { username: 'dept-hunan', name: '湖南省生态环境厅', claims: { evidence_role: 'department', jurisdiction: '430000' } },
  { username: 'admin', name: '登记管理员', claims: { evidence_role: 'administrator' } },
];

export function twinAccount(username: string): TwinAccount | undefined {
  return TWIN_ACCOUNTS.find((account) => account.username === username);
}
