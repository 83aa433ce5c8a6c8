/**
 * Contacts for the demo's enterprises and Jiangxi's departments and reviewers, so the replay's
 * reminders and notices arrive somewhere a user can read them: e-mail to the twin's mail server,
 * some plants' and departments' group robots to the twin's webhook sink. A few plants ask for
 * English, as an engineering contractor's engineer might.
 */
import type { JurisdictionContact } from '#domain/contacts.ts';
import type { Enterprise } from '#domain/registry.ts';

export function withDemoContacts(enterprises: readonly Enterprise[], robotsUrl: string): Enterprise[] {
  return enterprises.map((e, i) => ({
    ...e,
    contacts: {
      emails: [`plant${i + 1}@power.example.cn`],
      language: i % 9 === 4 ? ('en' as const) : ('zh' as const),
      ...(i % 4 === 1 ? { webhook: { robot: 'wecom' as const, url: `${robotsUrl}/wecom/cgi-bin/webhook/send?key=plant${i + 1}` } } : {}),
      ...(i % 4 === 3 ? { webhook: { robot: 'dingtalk' as const, url: `${robotsUrl}/dingtalk/robot/send?access_token=plant${i + 1}` } } : {}),
    },
  }));
}

const JIANGXI_CITIES = ['360100', '360200', '360300', '360400', '360500', '360600', '360700', '360800', '360900', '361000', '361100'];

export function demoJurisdictionContacts(robotsUrl: string): JurisdictionContact[] {
  return [
    ...JIANGXI_CITIES.map(
      (code): JurisdictionContact => ({
        scope: `city:${code}`,
        audience: 'department',
        emails: [`dept-${code}@sthjt.example.cn`],
        language: 'zh',
        ...(code === '360100' ? { webhook: { robot: 'wecom' as const, url: `${robotsUrl}/wecom/cgi-bin/webhook/send?key=dept-360100` } } : {}),
      }),
    ),
    { scope: 'city:360100', audience: 'reviewers', emails: ['reviewers-nanchang@sthjt.example.cn'], language: 'zh' },
    { scope: 'province:360000', audience: 'reviewers', emails: ['reviewers-jiangxi@sthjt.example.cn'], language: 'zh' },
  ];
}
