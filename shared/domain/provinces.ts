/**
 * China's provincial-level divisions (GB/T 2260) plus the Xinjiang Production and Construction
 * Corps, which reports to the carbon market as its own province. The registry stores the short
 * name; reading "every enterprise" is one Query per name on the registry's byProvince index,
 * which is why an unknown province name must be refused at import rather than silently dropped.
 */
export const PROVINCES = [
  '北京',
  '天津',
  '河北',
  '山西',
  '内蒙古',
  '辽宁',
  '吉林',
  '黑龙江',
  '上海',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '广西',
  '海南',
  '重庆',
  '四川',
  '贵州',
  '云南',
  '西藏',
  '陕西',
  '甘肃',
  '青海',
  '宁夏',
  '新疆',
  '新疆兵团',
  '台湾',
  '香港',
  '澳门',
] as const;

const FULL_NAMES: Record<string, string> = {
  内蒙古自治区: '内蒙古',
  广西壮族自治区: '广西',
  西藏自治区: '西藏',
  宁夏回族自治区: '宁夏',
  新疆维吾尔自治区: '新疆',
  新疆生产建设兵团: '新疆兵团',
  香港特别行政区: '香港',
  澳门特别行政区: '澳门',
};

/** The registry's short name for a province written either way ('江西省' → '江西'), or undefined. */
export function provinceName(written: string): string | undefined {
  const text = written.trim();
  const short = FULL_NAMES[text] ?? text.replace(/(省|市)$/, '');
  return (PROVINCES as readonly string[]).includes(short) ? short : undefined;
}
