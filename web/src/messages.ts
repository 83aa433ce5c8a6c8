/**
 * The one message catalogue of the web app: every text a person reads, in Chinese and English,
 * keyed by name. Each area keeps its own entries in its folder (messages.ts there) and they are
 * merged here, so a key is defined once and both languages sit side by side. The check
 * catalogue's issue texts are already bilingual and come from the API as they are.
 */
import { DASHBOARD_MESSAGES } from './dashboard/messages.ts';
import { PORTAL_MESSAGES } from './portal/messages.ts';
import { WORKBENCH_MESSAGES } from './workbench/messages.ts';

export type Lang = 'zh' | 'en';
export interface Text {
  readonly zh: string;
  readonly en: string;
}
export type Catalogue = Readonly<Record<string, Text>>;

export const COMMON_MESSAGES = {
  appTitle: { zh: '月度信息化存证', en: 'Monthly evidence deposits' },
  loading: { zh: '加载中…', en: 'Loading…' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  language: { zh: 'English', en: '中文' },
  languageLabel: { zh: '切换语言', en: 'Switch language' },
  signedInAs: { zh: '当前用户：{name}', en: 'Signed in as {name}' },
  noArea: { zh: '您的角色（{role}）在网页中没有工作台', en: 'Your role ({role}) has no page here' },
  error: { zh: '出错了：{message}', en: 'Something went wrong: {message}' },
  retry: { zh: '重试', en: 'Retry' },
  areaPortal: { zh: '企业端', en: 'Enterprise portal' },
  areaWorkbench: { zh: '审核端', en: 'Reviewer workbench' },
  areaDashboard: { zh: '管理端', en: 'Department dashboard' },
} as const satisfies Catalogue;

export const MESSAGES: Catalogue = { ...COMMON_MESSAGES, ...PORTAL_MESSAGES, ...WORKBENCH_MESSAGES, ...DASHBOARD_MESSAGES };

/** A message in the language, with `{name}` placeholders filled; an unknown key shows itself. */
export function translate(lang: Lang, key: string, params: Readonly<Record<string, string | number>> = {}): string {
  const text = MESSAGES[key]?.[lang] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
