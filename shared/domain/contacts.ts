/**
 * Who hears about a deposit: an enterprise's contacts (on its registry entry) and a jurisdiction's
 * (its department, its reviewers). Either may name e-mail addresses and one group robot (WeCom
 * 企业微信 or DingTalk 钉钉), and the language its messages are written in.
 */
import { z } from 'zod';

export const LanguageSchema = z.enum(['zh', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/**
 * A group robot's webhook. `url` is the robot's address, or `secret:<name>` to take the address
 * (and DingTalk's signing secret) from the deployment's notice secret: a robot's address carries
 * its key, which then never sits in the registry or its exports.
 */
export const WebhookSchema = z.object({
  robot: z.enum(['wecom', 'dingtalk']),
  url: z.string().refine((u) => /^secret:[\w.-]+$/.test(u) || URL.canParse(u), 'a webhook is an http(s) URL or secret:<name>'),
});
export type Webhook = z.infer<typeof WebhookSchema>;

export const ContactSchema = z.object({
  emails: z.array(z.email()).default([]),
  webhook: WebhookSchema.optional(),
  language: LanguageSchema.default('zh'),
});
export type Contact = z.infer<typeof ContactSchema>;

export const AudienceSchema = z.enum(['department', 'reviewers']);
export type Audience = z.infer<typeof AudienceSchema>;

/** A jurisdiction's contact: `city:360100` or `province:360000`, for its department or its reviewers. */
export const JurisdictionContactSchema = ContactSchema.extend({
  scope: z.string().regex(/^(city|province):\d{6}$/, 'a jurisdiction is city:<code> or province:<code> (GB/T 2260)'),
  audience: AudienceSchema,
  name: z.string().optional(),
});
export type JurisdictionContact = z.infer<typeof JurisdictionContactSchema>;

/** Where a contact can be reached: each is its own notice, so one failing channel holds up no other. */
export type NoticeTarget = { readonly channel: 'email'; readonly to: readonly string[] } | { readonly channel: 'webhook'; readonly webhook: Webhook };

export function targetsOf(contact: Pick<Contact, 'emails' | 'webhook'> | undefined): NoticeTarget[] {
  if (!contact) return [];
  return [
    ...(contact.emails.length > 0 ? [{ channel: 'email' as const, to: contact.emails }] : []),
    ...(contact.webhook ? [{ channel: 'webhook' as const, webhook: contact.webhook }] : []),
  ];
}

/** The registry file's cell for a robot: `wecom:<url>` / `dingtalk:<url>` (企业微信: / 钉钉: read too). */
export function webhookCell(webhook: Webhook | undefined): string {
  return webhook ? `${webhook.robot}:${webhook.url}` : '';
}

export function parseWebhookCell(text: string): Webhook | string | undefined {
  const cell = text.trim();
  if (cell === '') return undefined;
  const match = /^(wecom|dingtalk|企业微信|钉钉)\s*[:：]\s*(.+)$/i.exec(cell);
  if (!match) return 'a robot is written wecom:<url> or dingtalk:<url> (企业微信:<url> / 钉钉:<url>)';
  const kind = (match[1] ?? '').toLowerCase();
  const robot = kind === 'wecom' || kind === '企业微信' ? 'wecom' : 'dingtalk';
  const parsed = WebhookSchema.safeParse({ robot, url: (match[2] ?? '').trim() });
  return parsed.success ? parsed.data : (parsed.error.issues[0]?.message ?? 'not a webhook');
}
