/**
 * Plausible Chinese names and texts for generated data: compounds, property companies, residents
 * (used in SQL), ticket titles and hazard descriptions. Everything here is invented; road names
 * and the kinds of work units are the real ones of Lanzhou so that names read as local.
 */
import type { Rng } from '../../geo/prng.ts';
import type { TicketCategory, HazardType } from '../../geo/vocabulary.ts';

const ROADS: Record<string, string[]> = {
  '620102': [
    '张掖路',
    '酒泉路',
    '庆阳路',
    '中山路',
    '临夏路',
    '白银路',
    '皋兰路',
    '南昌路',
    '平凉路',
    '天水路',
    '民主东路',
    '东岗西路',
    '雁滩路',
    '静宁路',
    '定西路',
    '焦家湾路',
    '甘南路',
    '秦安路',
    '武都路',
    '金昌路',
    '雁园路',
    '排洪南路',
    '段家滩路',
    '盐场路',
  ],
  '620103': [
    '西津西路',
    '西津东路',
    '敦煌路',
    '建兰路',
    '兰工坪路',
    '南滨河中路',
    '秀川路',
    '瓜州路',
    '华林路',
    '土门墩路',
    '龚家湾路',
    '晏家坪路',
    '彭家坪路',
    '小西湖路',
  ],
  '620104': [
    '福利路',
    '合水路',
    '玉门街',
    '西固中路',
    '临洮街',
    '寺儿沟路',
    '环行东路',
    '康乐路',
    '陈官营路',
    '西柳沟路',
    '先锋路',
  ],
  '620105': [
    '安宁西路',
    '安宁东路',
    '北滨河西路',
    '银滩路',
    '万新路',
    '费家营路',
    '十里店南街',
    '培黎路',
    '刘家堡路',
    '孔家崖路',
  ],
  '620111': ['民主路', '大通路', '红山路', '平安路', '海石湾路', '窑街路', '花庄路'],
};

const WORK_UNITS = [
  '机械厂',
  '纺织厂',
  '化工厂',
  '毛纺厂',
  '棉纺厂',
  '钢厂',
  '铁路',
  '电力',
  '邮电',
  '粮食局',
  '建工局',
  '交通局',
  '供销社',
  '医药公司',
  '水电局',
  '市政公司',
  '石化',
  '炼油厂',
  '煤矿',
  '铝厂',
  '供电局',
  '公路局',
  '地质队',
  '汽车厂',
  '电机厂',
  '制药厂',
  '水泥厂',
  '农机厂',
  '运输公司',
  '勘察院',
  '设计院',
  '商业局',
  '物资局',
  '卫校',
  '师范',
  '二中',
  '一建',
];

const STEMS = [
  '金城',
  '滨河',
  '黄河',
  '金港',
  '兰苑',
  '五泉',
  '皋兰',
  '白塔',
  '万和',
  '盛世',
  '锦绣',
  '阳光',
  '幸福',
  '和平',
  '嘉和',
  '瑞祥',
  '世纪',
  '丽景',
  '紫金',
  '银河',
  '翠堤',
  '碧水',
  '天庆',
  '鸿运',
  '新港',
  '金色',
  '绿洲',
  '凯旋',
  '中天',
  '宏达',
  '金地',
  '龙湾',
  '陇上',
  '兰亭',
  '金河',
  '秀水',
  '丝路',
  '敦煌',
  '陇原',
  '兴隆',
  '仁寿',
  '伏龙',
  '雁鸣',
  '馨园',
  '安居',
  '和谐',
  '文苑',
  '学府',
  '福润',
  '康桥',
  '华府',
  '江山',
  '书香',
  '明珠',
  '怡景',
  '润泽',
  '欣苑',
  '春天',
  '融城',
  '锦华',
];

const OLD_SUFFIXES = ['家属院', '生活区', '新村', '小区', '家属楼', '住宅楼'];
const MID_SUFFIXES = [
  '小区',
  '花园',
  '家园',
  '苑',
  '嘉园',
  '佳园',
  '雅苑',
  '新城',
  '公寓',
  '名苑',
  '丽园',
  '景园',
];
const NEW_SUFFIXES = [
  '府',
  '公馆',
  '华庭',
  '壹号',
  '名邸',
  '天地',
  '湾',
  '国际',
  '悦府',
  '雅居',
  '城',
  '上城',
  '御园',
  '观邸',
  '花园',
];
const VILLAGE_SUFFIXES = ['安置小区', '新村', '新农村小区', '村民小区', '移民小区'];
const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

export interface CompoundNameContext {
  districtCode: string;
  /** The community's name without 社区/村, often borrowed by compounds in it. */
  communityStem: string;
  yearBuilt: number;
  village: boolean;
}

/** A compound name unique within `used` (the community's names so far), which it extends. */
export function compoundName(rng: Rng, ctx: CompoundNameContext, used: Set<string>): string {
  const roads = ROADS[ctx.districtCode] ?? ROADS['620102'];
  const make = (): string => {
    if (ctx.village) {
      return `${rng.chance(0.7) ? ctx.communityStem : rng.pick(STEMS)}${rng.pick(VILLAGE_SUFFIXES)}`;
    }
    const stem = (): string => {
      const r = rng.next();
      if (r < 0.3) return ctx.communityStem;
      if (r < 0.55) return rng.pick(roads).replace(/路$|街$/, '');
      return rng.pick(STEMS);
    };
    if (ctx.yearBuilt < 1998) {
      const r = rng.next();
      if (r < 0.4)
        return `${rng.chance(0.5) ? ctx.communityStem : ''}${rng.pick(WORK_UNITS)}${rng.pick(['家属院', '生活区', '家属楼'])}`;
      if (r < 0.65) return `${rng.pick(roads)}${rng.int(1, 400)}号院`;
      return `${stem()}${rng.pick(OLD_SUFFIXES)}`;
    }
    return `${stem()}${rng.pick(ctx.yearBuilt < 2010 ? MID_SUFFIXES : NEW_SUFFIXES)}`;
  };
  for (let attempt = 0; attempt < 30; attempt++) {
    const name = make();
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  // Phases of one estate are separate compounds in practice: 金城花园二期.
  const base = make();
  for (let i = 1; ; i++) {
    const name = `${base}${i < 10 ? CN_DIGITS[i - 1] : i}期`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

const COMPANY_WORDS = [
  '城关',
  '金城',
  '万家',
  '安居',
  '天庆',
  '恒通',
  '瑞丰',
  '鸿运',
  '福满',
  '和美',
  '华宇',
  '嘉禾',
  '宏达',
  '鑫源',
  '永安',
  '新天',
  '锦华',
  '顺达',
  '德润',
  '佳美',
  '陇宝',
  '金桥',
  '兰德',
  '兴陇',
  '众邦',
  '海石',
  '银滩',
  '雁滩',
  '东方',
  '西部',
  '丝路',
  '黄河',
  '五泉',
  '华龙',
  '安泰',
  '绿城',
  '中铁',
  '建投',
  '城投',
  '阳光',
  '明德',
  '仁和',
  '诚信',
  '康居',
  '润家',
  '宜居',
  '乐家',
  '惠民',
];
const COMPANY_FORMS = [
  (w: string) => `兰州${w}物业管理有限公司`,
  (w: string) => `甘肃${w}物业服务有限公司`,
  (w: string) => `兰州${w}物业服务有限责任公司`,
  (w: string) => `甘肃${w}物业管理有限责任公司`,
];

export function companyName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const word = rng.chance(0.5)
      ? rng.pick(COMPANY_WORDS)
      : `${rng.pick(COMPANY_WORDS)}${rng.pick(COMPANY_WORDS)}`;
    const name = rng.pick(COMPANY_FORMS)(word);
    if (!used.has(name) && !/(.{2})\1/.test(word)) {
      used.add(name);
      return name;
    }
  }
}

/** Common surnames, most frequent first, for resident names built in SQL. */
export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '魏',
  '苏',
  '蒋',
  '田',
  '杜',
  '丁',
  '沈',
  '姜',
  '范',
  '汪',
  '金',
  '石',
  '雷',
  '贺',
  '牛',
  '任',
];
export const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建国',
  '建华',
  '淑珍',
  '玉兰',
  '国强',
  '志强',
  '海燕',
  '晓东',
  '文华',
  '小红',
  '春梅',
  '永红',
  '卫东',
  '丽娟',
  '建军',
  '秀兰',
  '志刚',
  '宏伟',
  '亚军',
  '欣怡',
  '子涵',
  '浩然',
  '梓轩',
  '雨桐',
  '一鸣',
  '佳琪',
  '思远',
  '天佑',
  '俊杰',
  '婷婷',
  '晨阳',
];

export const TICKET_TITLES: Record<TicketCategory, string[]> = {
  parking: [
    '小区内车辆乱停乱放堵塞消防通道',
    '小区车位不足，夜间停车难',
    '外来车辆占用小区车位',
    '地下车库车位只售不租',
    '僵尸车长期占用车位',
    '小区门口路边停车收费不规范',
    '非机动车乱停影响通行',
    '车辆占用人行道停放',
    '申请在空地施划停车位',
  ],
  facilities: [
    '冬季暖气不热',
    '暖气管道漏水',
    '楼道下水管道堵塞返水',
    '自来水水压低、高层无水',
    '屋顶漏水',
    '楼道灯不亮',
    '单元门禁损坏',
    '化粪池外溢',
    '供水管道老化爆裂',
    '外墙皮脱落',
    '申请老旧小区加装电梯',
    '电梯故障停运',
    '小区路面破损坑洼',
    '燃气管道老化需更换',
  ],
  property_service: [
    '垃圾清运不及时，物业不作为',
    '物业费收费标准不透明',
    '物业服务质量差',
    '小区无人管理',
    '公共收益去向不明',
    '物业人员服务态度差',
    '绿化无人养护',
    '门岗形同虚设，外来人员随意进出',
  ],
  dispute: [
    '邻里噪音纠纷',
    '楼上漏水殃及楼下',
    '占用公共楼道堆放杂物引发纠纷',
    '私搭乱建影响采光',
    '与物业就物业费发生纠纷',
    '饲养宠物扰民纠纷',
    '房屋租赁纠纷',
    '车位归属纠纷',
  ],
  legal_aid: [
    '拖欠工资求助法律援助',
    '房屋买卖合同纠纷咨询',
    '婚姻家庭纠纷法律咨询',
    '赡养纠纷法律咨询',
    '交通事故赔偿咨询',
    '购房逾期交房维权咨询',
  ],
  sanitation: [
    '垃圾桶满溢无人清理',
    '楼道小广告泛滥',
    '绿化带堆放建筑垃圾',
    '污水外溢、路面脏乱',
    '流浪犬扰民',
    '申请灭鼠灭蟑',
    '楼道杂物堆放',
    '垃圾分类设施不足',
  ],
  noise: [
    '夜间施工噪音扰民',
    '广场舞音响声音过大',
    '临街商铺音响外放',
    '装修噪音扰民',
    '夜市烧烤噪音油烟扰民',
    '空调外机噪音',
  ],
  safety: [
    '消防通道被堵塞',
    '电动车楼道内充电',
    '消防设施损坏',
    '楼道闻到燃气味',
    '高空抛物',
    '窨井盖缺失',
    '围墙倾斜有倒塌危险',
    '老旧电线私拉乱接',
  ],
  elder_child_care: [
    '申请居家养老服务',
    '老年食堂就餐咨询',
    '独居老人需要上门探视',
    '托育机构入托咨询',
    '社区日间照料中心开放时间咨询',
    '高龄补贴办理',
    '申请适老化改造',
    '儿童游乐设施损坏',
  ],
  other: [
    '政策咨询',
    '办事指南咨询',
    '表扬社区工作人员',
    '建议增设公交站点',
    '开具居住证明',
    '小区门前道路施工咨询',
    '建议增设健身器材',
  ],
};

export const HAZARD_DESCRIPTIONS: Record<HazardType, string[]> = {
  fire: ['消防通道被占用', '楼道消火栓无水', '灭火器过期', '疏散指示灯损坏', '楼道堆放易燃杂物'],
  gas: ['燃气管道锈蚀', '燃气表具老化', '住户私改燃气管线', '燃气立管无防护', '厨房通风不良'],
  electrical: ['配电箱老化', '电线私拉乱接', '电动车集中充电点无保护', '楼道线路裸露'],
  structural: ['外墙皮空鼓脱落', '阳台护栏锈蚀', '屋面防水失效', '楼梯踏步破损', '围墙倾斜开裂'],
  elevator: ['电梯年检逾期', '电梯困人故障频发', '电梯维保记录缺失', '电梯门系统异常'],
  pipe: ['供水管道锈蚀渗漏', '排水管道堵塞返水', '暖气管道老化渗漏', '化粪池满溢'],
};
