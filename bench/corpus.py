"""A synthetic corpus for the search benchmark: pure Python, no database.

`manage.py generate_corpus` writes what this module produces into a bench
database; `manage.py bench_search` queries it with the constants below. The
text is English news prose about the story (OpenAI cutting China and Hong Kong
off its API in July 2024) built from sentence templates, so full-text search
sees realistic words, lengths and term frequencies.

Controlled terms. Ordinary sentences never contain the words below; they only
enter an article through dedicated sentences placed in an exactly known number
of PUBLISHED articles (unpublished ones never carry them), and claims never quote those
sentences. So the number of articles a query matches is known in advance:
`expected_counts(n)`.

- COMMON_TERM "semiconductor": about one third of the articles.
- RARE_TERM "zhongguancun": 0.05% of the articles (at least one).
- PHRASE "free tokens": the two words side by side in 1% of the articles. Each
  word alone is frequent ("free of charge", "per million tokens"), but no other
  sentence puts them next to each other, across sentence ends included.
- EXCLUSION "vpn -firewall": "vpn" is in 10% of the articles, half of which
  also say "firewall"; "firewall" is in another 2% without "vpn".
- CJK_QUERY 商汤: SenseTime's Chinese name, written inline as 商汤科技 in 1% of
  the articles (5% of the articles name some entity in Chinese).
- ALIAS_QUERY "NYU": an English alias of New York University that no article
  text uses, so it finds the entity through its alias.
- FILTER_ENTITY_SLUG "huawei": mentioned by about 8% of the articles.

Everything is deterministic for a given (n, seed): one random.Random drives it
all and nothing iterates over a set.
"""

# ruff: noqa: E501 (the sentence templates stay one per line, however long)

import datetime
import hashlib
import html
import random
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

# --- What the benchmark queries (see the module docstring) ---------------------

COMMON_TERM = "semiconductor"
COMMON_SHARE = 1 / 3
RARE_TERM = "zhongguancun"
RARE_SHARE = 0.0005
PHRASE = "free tokens"
PHRASE_SHARE = 0.01
EXCLUSION_TERM = "vpn"
EXCLUSION_OTHER = "firewall"
EXCLUSION_SHARE = 0.10  # articles with "vpn"; half of them also say "firewall"
OTHER_ONLY_SHARE = 0.02  # articles with "firewall" and no "vpn"
CJK_SHARE = 0.05  # articles naming an entity in Chinese inline
CJK_QUERY = "商汤"
CJK_QUERY_SHARE = 0.01  # of which: SenseTime (商汤科技)
ALIAS_QUERY = "NYU"
FILTER_ENTITY_SLUG = "huawei"
FILTER_YEAR = 2024
DEEP_PAGE = 40
# Not published: 5% of articles, events and claims (3% draft, 1% in review, 1%
# withdrawn), 3% of the synthetic entities.
UNPUBLISHED_SHARE = 0.05
UNPUBLISHED_STATUSES = (("draft", 3), ("review", 1), ("withdrawn", 1))
ENTITY_UNPUBLISHED_SHARE = 0.03

# Words an ordinary sentence must never contain (checked by the tests).
CONTROLLED_WORDS = (COMMON_TERM, RARE_TERM, EXCLUSION_TERM, EXCLUSION_OTHER, "商汤", "商湯")

DATE_FROM = datetime.date(2022, 1, 1)
DATE_TO = datetime.date(2026, 6, 30)
PEAK_FROM = datetime.date(2024, 6, 1)  # the story's peak: announcement to aftermath
PEAK_TO = datetime.date(2024, 8, 31)
PEAK_SHARE = 0.2
WORDS_MIN, WORDS_MAX = 450, 750


def _share(n: int, share: float, minimum: int = 1) -> int:
    return max(minimum, round(n * share)) if n else 0


def expected_counts(n: int) -> dict[str, int]:
    """How many articles of an n-article corpus carry each controlled term (all published)."""
    vpn = _share(n, EXCLUSION_SHARE)
    return {
        "unpublished": round(n * UNPUBLISHED_SHARE),
        "withdrawn": round(n * UNPUBLISHED_SHARE / 5),
        "review": round(n * UNPUBLISHED_SHARE / 5),
        "common": _share(n, COMMON_SHARE),
        "rare": _share(n, RARE_SHARE),
        "phrase": _share(n, PHRASE_SHARE),
        "vpn": vpn,
        "vpn_with_firewall": vpn // 2,
        "firewall_without_vpn": _share(n, OTHER_ONLY_SHARE),
        "vpn_not_firewall": vpn - vpn // 2,
        "cjk_inline": _share(n, CJK_SHARE),
        "cjk_query": _share(n, CJK_QUERY_SHARE),
        "entities": max(len(REAL_ENTITIES) + 10, n // 20),
        "events": max(5, n // 10),
        "claims": max(5, n // 2),
        "claim_relations": max(2, n // 20),
    }


# --- Names ----------------------------------------------------------------------

# Pinyin syllable, simplified, traditional. The characters are all distinct, so
# distinct romanized names give distinct Chinese names. 商 and 汤 are left out so
# that only SenseTime's names contain the bigram 商汤.
SYLLABLES = [
    ("an", "安", "安"), ("bai", "柏", "柏"), ("bo", "博", "博"), ("chang", "长", "長"),
    ("chen", "辰", "辰"), ("cheng", "诚", "誠"), ("da", "达", "達"), ("ding", "鼎", "鼎"),
    ("fan", "帆", "帆"), ("feng", "丰", "豐"), ("fu", "福", "福"), ("guang", "光", "光"),
    ("hai", "海", "海"), ("hao", "昊", "昊"), ("he", "禾", "禾"), ("heng", "恒", "恆"),
    ("hong", "鸿", "鴻"), ("hua", "华", "華"), ("hui", "慧", "慧"), ("jia", "嘉", "嘉"),
    ("jian", "建", "建"), ("jin", "金", "金"), ("jing", "晶", "晶"), ("jun", "骏", "駿"),
    ("kai", "凯", "凱"), ("kang", "康", "康"), ("lan", "蓝", "藍"), ("le", "乐", "樂"),
    ("li", "立", "立"), ("lian", "联", "聯"), ("ling", "灵", "靈"), ("long", "龙", "龍"),
    ("ming", "明", "明"), ("nan", "楠", "楠"), ("ning", "宁", "寧"), ("ping", "平", "平"),
    ("qi", "启", "啟"), ("qian", "乾", "乾"), ("qing", "青", "青"), ("rui", "瑞", "瑞"),
    ("sheng", "盛", "盛"), ("shi", "世", "世"), ("shu", "曙", "曙"), ("tai", "泰", "泰"),
    ("tian", "天", "天"), ("tong", "通", "通"), ("wei", "维", "維"), ("wen", "文", "文"),
    ("xiang", "翔", "翔"), ("xin", "鑫", "鑫"), ("xing", "星", "星"), ("xu", "旭", "旭"),
    ("yang", "阳", "陽"), ("yi", "易", "易"), ("ying", "英", "英"), ("yu", "宇", "宇"),
    ("yuan", "远", "遠"), ("yun", "芸", "蕓"), ("ze", "泽", "澤"), ("zhi", "志", "志"),
    ("zhuo", "卓", "卓"), ("zi", "梓", "梓"), ("mei", "梅", "梅"), ("xuan", "轩", "軒"),
    ("hang", "航", "航"), ("kun", "坤", "坤"), ("lin", "霖", "霖"), ("mo", "墨", "墨"),
    ("peng", "鹏", "鵬"), ("rong", "融", "融"), ("song", "松", "松"), ("teng", "腾", "騰"),
    ("xiao", "晓", "曉"), ("yan", "岩", "岩"), ("yao", "耀", "耀"), ("zhen", "臻", "臻"),
    ("jie", "杰", "傑"), ("bin", "斌", "斌"), ("chao", "超", "超"), ("dong", "栋", "棟"),
]  # fmt: skip
# Romanized brand words that would collide with a real company's name.
RESERVED_BRANDS = {"huawei", "baidu", "zhipu", "tencent", "alibaba"}
# Brands of two syllables made before three are used (see Corpus._brand).
TWO_SYLLABLE_BRANDS = 4000

SURNAMES = [
    ("Zhang", "张", "張"), ("Wang", "王", "王"), ("Li", "李", "李"), ("Liu", "刘", "劉"),
    ("Chen", "陈", "陳"), ("Yang", "杨", "楊"), ("Huang", "黄", "黃"), ("Zhao", "赵", "趙"),
    ("Wu", "吴", "吳"), ("Zhou", "周", "周"), ("Xu", "徐", "徐"), ("Sun", "孙", "孫"),
    ("Ma", "马", "馬"), ("Zhu", "朱", "朱"), ("Hu", "胡", "胡"), ("Guo", "郭", "郭"),
    ("He", "何", "何"), ("Lin", "林", "林"), ("Luo", "罗", "羅"), ("Gao", "高", "高"),
    ("Zheng", "郑", "鄭"), ("Liang", "梁", "梁"), ("Xie", "谢", "謝"), ("Song", "宋", "宋"),
    ("Tang", "唐", "唐"), ("Han", "韩", "韓"), ("Feng", "冯", "馮"), ("Deng", "邓", "鄧"),
    ("Cao", "曹", "曹"), ("Peng", "彭", "彭"), ("Zeng", "曾", "曾"), ("Xiao", "萧", "蕭"),
    ("Tian", "田", "田"), ("Dong", "董", "董"), ("Pan", "潘", "潘"), ("Yuan", "袁", "袁"),
    ("Cai", "蔡", "蔡"), ("Jiang", "蒋", "蔣"), ("Yu", "余", "余"), ("Du", "杜", "杜"),
]  # fmt: skip

CITIES = [
    ("Beijing", "北京", "北京"), ("Shanghai", "上海", "上海"), ("Shenzhen", "深圳", "深圳"),
    ("Hangzhou", "杭州", "杭州"), ("Guangzhou", "广州", "廣州"), ("Chengdu", "成都", "成都"),
    ("Wuhan", "武汉", "武漢"), ("Nanjing", "南京", "南京"), ("Suzhou", "苏州", "蘇州"),
    ("Tianjin", "天津", "天津"), ("Chongqing", "重庆", "重慶"), ("Xi’an", "西安", "西安"),
    ("Hefei", "合肥", "合肥"), ("Xiamen", "厦门", "廈門"), ("Qingdao", "青岛", "青島"),
    ("Changsha", "长沙", "長沙"), ("Zhengzhou", "郑州", "鄭州"), ("Jinan", "济南", "濟南"),
    ("Dalian", "大连", "大連"), ("Shenyang", "沈阳", "瀋陽"), ("Harbin", "哈尔滨", "哈爾濱"),
    ("Kunming", "昆明", "昆明"), ("Fuzhou", "福州", "福州"), ("Ningbo", "宁波", "寧波"),
    ("Dongguan", "东莞", "東莞"), ("Foshan", "佛山", "佛山"), ("Wuxi", "无锡", "無錫"),
    ("Nanchang", "南昌", "南昌"), ("Guiyang", "贵阳", "貴陽"), ("Nanning", "南宁", "南寧"),
    ("Shijiazhuang", "石家庄", "石家莊"), ("Taiyuan", "太原", "太原"), ("Lanzhou", "兰州", "蘭州"),
    ("Hohhot", "呼和浩特", "呼和浩特"), ("Urumqi", "乌鲁木齐", "烏魯木齊"), ("Macau", "澳门", "澳門"),
    ("Zhuhai", "珠海", "珠海"), ("Changzhou", "常州", "常州"),
]  # fmt: skip
PROVINCES = [
    ("Guangdong", "广东省", "廣東省"), ("Zhejiang", "浙江省", "浙江省"),
    ("Jiangsu", "江苏省", "江蘇省"), ("Sichuan", "四川省", "四川省"),
    ("Hubei", "湖北省", "湖北省"), ("Shandong", "山东省", "山東省"),
    ("Fujian", "福建省", "福建省"), ("Anhui", "安徽省", "安徽省"),
    ("Henan", "河南省", "河南省"), ("Hunan", "湖南省", "湖南省"),
    ("Guizhou", "贵州省", "貴州省"), ("Liaoning", "辽宁省", "遼寧省"),
    ("Shaanxi", "陕西省", "陝西省"), ("Hainan", "海南省", "海南省"),
    ("Jiangxi", "江西省", "江西省"), ("Yunnan", "云南省", "雲南省"),
]  # fmt: skip

COMPANY_SECTORS = [
    ("Technology", "科技", "科技"), ("Intelligence", "智能", "智能"), ("AI", "AI", "AI"),
    ("Robotics", "机器人", "機器人"), ("Data", "数据", "數據"), ("Networks", "网络", "網絡"),
    ("Software", "软件", "軟件"), ("Microelectronics", "微电子", "微電子"),
    ("Computing", "计算", "計算"), ("Vision", "视觉", "視覺"), ("Information", "信息", "資訊"),
    ("Digital", "数字", "數字"), ("Labs", "实验室", "實驗室"), ("Cloud", "云", "雲"),
]  # fmt: skip
GOV_BODIES = [
    ("Cyberspace Administration", "网信办", "網信辦"),
    ("Bureau of Commerce", "商务局", "商務局"),
    ("Science and Technology Commission", "科学技术委员会", "科學技術委員會"),
    ("Bureau of Economy and Information Technology", "经济和信息化局", "經濟和信息化局"),
    ("Data Bureau", "数据局", "數據局"),
    ("Development and Reform Commission", "发展和改革委员会", "發展和改革委員會"),
    ("Administration for Market Regulation", "市场监督管理局", "市場監督管理局"),
]
ORG_KINDS = [
    ("{city} Institute of Artificial Intelligence", "{zh}人工智能研究院", "{tw}人工智能研究院"),
    ("{city} AI Industry Alliance", "{zh}人工智能产业联盟", "{tw}人工智能產業聯盟"),
    ("{city} Developers Association", "{zh}开发者协会", "{tw}開發者協會"),
    ("{city} Computing Centre", "{zh}计算中心", "{tw}計算中心"),
]
BRAND_ORG_KINDS = [
    ("{brand} University", "{zh}大学", "{tw}大學"),
    ("{brand} Foundation", "{zh}基金会", "{tw}基金會"),
    ("{brand} Research Institute", "{zh}研究院", "{tw}研究院"),
    ("{brand} Think Tank", "{zh}智库", "{tw}智庫"),
]
PLACE_KINDS = [
    ("{brand} District", "{zh}区", "{tw}區"),
    ("{brand} New Area", "{zh}新区", "{tw}新區"),
    ("{brand} Hi-Tech Zone", "{zh}高新区", "{tw}高新區"),
]
MODEL_VERSIONS = ["2", "3", "3.5", "4", "7B", "13B", "34B", "70B", "Pro", "Max", "Lite", "Turbo"]

# The real players of the story, exactly once each: (slug, name, kind, aliases,
# mention share). Aliases are (name, language).
REAL_ENTITIES = [
    ("openai", "OpenAI", "company", [], 0.55),
    ("huawei", "Huawei", "company",
     [("Huawei Technologies Co., Ltd.", "en"), ("华为", "zh-Hans"), ("華為", "zh-Hant")], 0.08),
    ("sensetime", "SenseTime", "company",
     [("商汤科技", "zh-Hans"), ("商湯科技", "zh-Hant"), ("商汤", "zh-Hans"), ("商湯", "zh-Hant")],
     0.03),
    ("baidu", "Baidu", "company", [("百度", "zh-Hans")], 0.05),
    ("zhipu-ai", "Zhipu AI", "company",
     [("Zhipu", "en"), ("智谱AI", "zh-Hans"), ("智譜AI", "zh-Hant"), ("智谱", "zh-Hans")], 0.04),
    ("01-ai", "01.AI", "company",
     [("零一万物", "zh-Hans"), ("零一萬物", "zh-Hant"), ("Lingyiwanwu", "zh-Latn-pinyin")], 0.03),
    ("alibaba-cloud", "Alibaba Cloud", "company",
     [("Aliyun", "en"), ("阿里云", "zh-Hans"), ("阿里雲", "zh-Hant")], 0.05),
    ("tencent", "Tencent", "company", [("腾讯", "zh-Hans"), ("騰訊", "zh-Hant")], 0.04),
    ("bytedance", "ByteDance", "company", [("字节跳动", "zh-Hans"), ("字節跳動", "zh-Hant")], 0.03),
    ("moonshot-ai", "Moonshot AI", "company", [("月之暗面", "zh-Hans")], 0.03),
    ("deepseek", "DeepSeek", "company", [("深度求索", "zh-Hans")], 0.03),
    ("iflytek", "iFlytek", "company", [("科大讯飞", "zh-Hans"), ("科大訊飛", "zh-Hant")], 0.02),
    ("microsoft", "Microsoft", "company", [("微软", "zh-Hans"), ("微軟", "zh-Hant")], 0.04),
    ("nvidia", "Nvidia", "company", [("英伟达", "zh-Hans")], 0.04),
    ("meta", "Meta", "company", [("Meta Platforms", "en"), ("Facebook", "en")], 0.02),
    ("new-york-university", "New York University", "organization",
     [("NYU", "en"), ("纽约大学", "zh-Hans"), ("紐約大學", "zh-Hant")], 0.005),
    ("centre-for-safe-agi", "Centre for Safe AGI", "organization",
     [("Center for Safe AGI", "en")], 0.005),
    ("xiaohu-zhu", "Xiaohu Zhu", "person", [("朱小虎", "zh-Hans")], 0.005),
    ("sam-altman", "Sam Altman", "person",
     [("萨姆·奥尔特曼", "zh-Hans"), ("薩姆·奧爾特曼", "zh-Hant")], 0.02),
    ("robin-li", "Robin Li", "person", [("李彦宏", "zh-Hans"), ("李彥宏", "zh-Hant")], 0.01),
    ("kai-fu-lee", "Kai-Fu Lee", "person", [("李开复", "zh-Hans"), ("李開復", "zh-Hant")], 0.01),
    ("us-government", "United States government", "government",
     [("US government", "en"), ("美国政府", "zh-Hans"), ("美國政府", "zh-Hant")], 0.05),
    ("cyberspace-administration-of-china", "Cyberspace Administration of China", "government",
     [("CAC", "en"), ("国家互联网信息办公室", "zh-Hans"), ("國家互聯網信息辦公室", "zh-Hant")], 0.04),
    ("miit", "Ministry of Industry and Information Technology", "government",
     [("MIIT", "en"), ("工业和信息化部", "zh-Hans"), ("工業和信息化部", "zh-Hant")], 0.02),
    ("us-department-of-commerce", "US Department of Commerce", "government",
     [("Commerce Department", "en"), ("美国商务部", "zh-Hans"), ("美國商務部", "zh-Hant")], 0.03),
    ("china", "China", "place", [("PRC", "en"), ("中国", "zh-Hans"), ("中國", "zh-Hant")], 0.35),
    ("hong-kong", "Hong Kong", "place", [("香港", "zh-Hans")], 0.25),
    ("united-states", "United States", "place",
     [("US", "en"), ("美国", "zh-Hans"), ("美國", "zh-Hant")], 0.15),
    ("beijing", "Beijing", "place", [("北京", "zh-Hans")], 0.10),
    ("shanghai", "Shanghai", "place", [("上海", "zh-Hans")], 0.06),
    ("shenzhen", "Shenzhen", "place", [("深圳", "zh-Hans")], 0.05),
    ("hangzhou", "Hangzhou", "place", [("杭州", "zh-Hans")], 0.04),
    ("gpt-4o", "GPT-4o", "ai_model", [], 0.10),
    ("llama", "Llama", "ai_model", [("LLaMA", "en")], 0.02),
    ("ernie-bot", "ERNIE Bot", "ai_model", [("文心一言", "zh-Hans")], 0.03),
    ("qwen", "Qwen", "ai_model", [("通义千问", "zh-Hans"), ("通義千問", "zh-Hant")], 0.03),
    ("glm-4", "GLM-4", "ai_model", [], 0.02),
    ("sensenova", "SenseNova", "ai_model", [("日日新", "zh-Hans")], 0.01),
]  # fmt: skip
REAL_CITY_NAMES = {"Beijing", "Shanghai", "Shenzhen", "Hangzhou"}

# Shares of the synthetic entities by kind.
KIND_SHARES = [
    ("company", 0.40), ("person", 0.30), ("organization", 0.12),
    ("ai_model", 0.08), ("government", 0.06), ("place", 0.04),
]  # fmt: skip

OUTLET_FIRST = [
    "Harbour", "Pearl River", "Kowloon", "Pacific", "Silk Road", "Eastern", "Bund", "Lantau",
    "Victoria", "Yangtze", "Greater Bay", "Causeway", "Jade", "Meridian", "Lotus", "Orient",
]  # fmt: skip
OUTLET_SECOND = [
    "Tech Daily", "Ledger", "Observer", "Business Review", "Times", "Wire", "Dispatch",
    "Post", "Herald", "Chronicle", "Insider", "Signal", "Tribune", "Monitor",
]  # fmt: skip
AUTHOR_FIRST = [
    "Emily", "James", "Grace", "Daniel", "Olivia", "Michael", "Sophie", "Ryan", "Hannah",
    "David", "Chloe", "Ethan", "Laura", "Kevin", "Rachel", "Tom", "Amy", "Ben", "Iris", "Owen",
]  # fmt: skip
AUTHOR_LAST = [
    "Chan", "Wong", "Leung", "Lau", "Cheung", "Ng", "Smith", "Carter", "Hughes", "Patel",
    "Murphy", "Tan", "Lim", "Ho", "Kwok", "Fraser", "Reid", "Nakamura", "Park", "Singh",
]  # fmt: skip

# --- Prose ---------------------------------------------------------------------

ROLES = [
    "chief executive", "chief technology officer", "founder", "head of research", "co-founder",
    "vice-president", "head of product", "chief scientist", "general manager", "senior engineer",
]  # fmt: skip
PRODUCTS = [
    "chatbot", "coding assistant", "customer-service bot", "translation app", "search engine",
    "writing tool", "tutoring app", "document summarizer", "voice assistant", "sales copilot",
]  # fmt: skip
DEVS = [
    "developers", "start-ups", "enterprise customers", "app makers", "research teams",
    "software houses", "independent programmers", "small businesses",
]  # fmt: skip
MONTHS = [datetime.date(2024, m, 1).strftime("%B") for m in range(1, 13)]

# {co} company, {co2} another, {person}, {gov}, {place}, {model}, {org}, {role},
# {product}, {devs}, {n}, {pct}, {price}, {money}, {month}, {year}.
SENTENCES = [
    "OpenAI said it would block API traffic from regions it does not support, a list that excludes mainland China and Hong Kong.",
    "Developers at {co} said they had received an email from OpenAI warning that their access would end in {month}.",
    "{person}, {role} at {co}, said the company had spent weeks moving its {product} to a domestic model.",
    "{co} said it would give new users {n} million tokens of credit for its {model} service.",
    "The price of {model} fell to {price} per million tokens after {co} cut its rates.",
    "{gov} has required providers of generative AI services to register their models before offering them to the public.",
    "Analysts at {org} estimate that more than {n} thousand {devs} in {place} relied on OpenAI’s API.",
    "Export controls on advanced chips have made it harder for {co} to train larger models.",
    "Chipmakers in {place} are racing to supply accelerators that can stand in for restricted GPUs.",
    "{co} offered a free trial of {model} to companies switching from GPT-4o.",
    "Access to the service is free of charge for the first {n} days, the company said.",
    "{person} said the move would push {devs} in {place} toward homegrown large language models.",
    "Regulators in {place} have not commented on the decision.",
    "Shares of {co} rose {pct} in {place} trading on the news.",
    "Some {devs} said they would rather pay more than rewrite code built around OpenAI’s interface.",
    "{co} said {model} is compatible with OpenAI’s API, so existing applications need only a new endpoint and key.",
    "{org} warned that the split could create two separate ecosystems for AI software.",
    "Training data in Chinese remains a weak spot for Western models, {person} said.",
    "Cloud providers including {co} reported a jump in sign-ups in the week after the announcement.",
    "The company did not say how many accounts were affected.",
    "{gov} said it supports the healthy development of generative AI in accordance with the law.",
    "Industry groups in {place} have called for more public computing capacity to be made available to start-ups.",
    "{co} plans to open a research centre in {place} focused on large language models.",
    "Benchmarks published by {org} put {model} close to GPT-4 on several Chinese-language tests.",
    "Smaller firms worry that the cost of compliance will favour the largest platforms.",
    "Hong Kong has no local rule that bars foreign AI services, but OpenAI’s policy treats the city the same as the mainland.",
    "Investors in {place} have poured money into model developers since the start of {year}.",
    "{person} of {org} said the episode showed the risk of relying on a single foreign supplier.",
    "Engineers at {co} spent the weekend rewriting prompts that had been tuned for GPT-4o.",
    "The block took effect on 9 July, according to messages seen by {devs}.",
    "{co} has trained its models on clusters of domestic chips, according to a filing.",
    "A spokesperson for {co} declined to comment.",
    "Demand for compute has outstripped supply at data centres around {place}.",
    "Universities in {place} have begun offering courses on building applications with open-source models.",
    "{model} is available through an API that charges by the number of tokens processed.",
    "Usage of {model} rose {pct} in the month after OpenAI’s announcement, {co} said.",
    "Lawyers said companies should review contracts that depend on access to foreign AI services.",
    "The restrictions come amid broader tensions between Washington and Beijing over technology.",
    "{gov} published draft rules on labelling AI-generated content in {month} {year}.",
    "Local governments have offered computing vouchers to start-ups that build on domestic models.",
    "{person} said the company would keep supporting customers outside mainland China.",
    "Several app makers in {place} said they had already switched to {model} before the deadline.",
    "OpenAI’s usage policies list the countries and territories where its services are supported.",
    "Pricing pressure has pushed the cost of running large language models sharply lower in {year}.",
    "{co} and {co2} announced a partnership to offer joint migration support to enterprise customers.",
    "Migration tools promised to move prompts, fine-tuned models and usage data in a few clicks.",
    "{co} said it had recorded more than {n} thousand registrations from former OpenAI users.",
    "Critics said the offers were marketing more than a technical alternative.",
    "Hardware shortages mean that many firms still train models on older chips.",
    "{org} said open-source models such as Llama have narrowed the gap with proprietary systems.",
    "Some enterprise customers said data security mattered more to them than raw model quality.",
    "Officials at {gov} met representatives of {co} to discuss the impact of the decision.",
    "{devs} in {place} described a rush to test alternatives before access ended.",
    "{co} reduced the price of its flagship model by {pct} in {month}.",
    "The company said its models had passed the security assessment required by {gov}.",
    "Demand for Chinese-language training data has risen as companies fine-tune their own models.",
    "Providers measure and bill the text a model reads and writes in tokens, usually per thousand or per million.",
    "{person} expects consolidation among the country’s many model developers within two years.",
    "The announcement caught many {devs} by surprise, although OpenAI had never officially served the mainland.",
    "{co} said its engineers had answered more than {n} thousand support requests in a single week.",
    "Several banks in {place} said they had paused pilots that used OpenAI’s models.",
    "{org} said the decision would accelerate a shift that was already under way.",
    "The model was trained on a mix of Chinese and English text, according to a technical report.",
    "Customers will be able to keep their existing prompts and call {model} with few changes, {co} said.",
    "{gov} said it would step up support for companies that develop foundation models.",
    "Usage data from {co} suggested that most of the new sign-ups were small teams.",
    "{person} said the company had been preparing for the possibility since {year}.",
    "Rival platforms advertised discounts of up to {pct} for customers who signed annual contracts.",
    "Developers said the quality gap between domestic and foreign models had narrowed in recent months.",
    "{co} declined to say how many of its customers had relied on OpenAI.",
    "The rules require providers to label synthetic images, audio and video.",
    "Researchers at {org} published an evaluation of {n} domestic models in {month}.",
    "Observers in {place} said the real test would be whether the new customers stay after the promotions end.",
    "{co} has raised {money} from investors including state-backed funds.",
    "Compute costs remain the largest expense for companies training their own models.",
    "{person} said open-source releases had made it easier for smaller teams to compete.",
    "The outage of access was felt most keenly by education and gaming companies, {org} said.",
    "{gov} has encouraged state-owned enterprises to adopt domestic AI systems.",
    "In {place}, several incubators offered credits for cloud computing to affected start-ups.",
    "{model} supports a context window long enough to process entire contracts, {co} said.",
]  # fmt: skip

# One sentence that names an entity of the given kind ({name}); every mentioned
# entity gets one, so an article names what it is linked to.
INTRODUCTIONS = {
    "company": [
        "{name} said it would help affected customers move their applications.",
        "{name} announced new pricing for developers switching from OpenAI.",
        "Executives at {name} said demand had risen sharply since the announcement.",
        "{name} has positioned itself as an alternative for {devs} in {place}.",
    ],
    "person": [
        "{name}, {role} at {co}, said the decision had been expected for months.",
        "“This is a turning point for the industry,” said {name}, {role} at {co}.",
        "{name} told reporters that customers had been asking for a domestic option.",
        "{name}, who follows the sector closely, said the impact would be uneven.",
    ],
    "organization": [
        "Researchers at {name} said the decision would speed up work on local models.",
        "{name} published a report on the effects of the block on {devs}.",
        "A study by {name} found that most affected firms had a backup plan.",
    ],
    "government": [
        "{name} said it was monitoring the situation closely.",
        "{name} has issued guidance on the use of generative AI by companies.",
        "A statement from {name} urged firms to comply with the rules on data security.",
    ],
    "place": [
        "{devs} in {name} were among the heaviest users of OpenAI’s API.",
        "In {name}, the news prompted a wave of sign-ups for domestic services.",
        "Companies in {name} said they would move their workloads within weeks.",
    ],
    "ai_model": [
        "{name} has been offered as a drop-in replacement for GPT-4o.",
        "Benchmarks suggest that {name} performs well on Chinese-language tasks.",
        "{name} was updated with a longer context window in {month}.",
    ],
}

# Entities with their own introductions, kept out of the generic {co}/{gov} slots:
# OpenAI does not court OpenAI's users, and Washington does not license Chinese models.
NOT_IN_SLOTS = {"openai", "us-government", "us-department-of-commerce"}
INTRODUCTIONS |= {
    "openai": [
        "OpenAI said the restriction applied to API traffic from regions it does not support.",
        "OpenAI did not explain its decision beyond pointing to its list of supported countries.",
        "OpenAI told affected users by email that their access would end on 9 July.",
    ],
    "us-government": [
        "The {name} has not commented on OpenAI’s decision.",
        "The {name} has tightened controls on exports of advanced chips to China.",
    ],
    "us-department-of-commerce": [
        "The {name} has tightened controls on exports of advanced chips to China.",
        "The {name} said it was reviewing rules on access to advanced AI models.",
    ],
}

CONTROL_SENTENCES = {
    "common": [
        "{co} said the semiconductor shortage had delayed the launch of {model}.",
        "Analysts said semiconductor supply remained the biggest constraint on AI ambitions in {place}.",
        "Washington’s semiconductor export rules bar the sale of the most advanced accelerators to Chinese buyers.",
        "{person} said domestic semiconductor makers would need years to match the best foreign products.",
        "The semiconductor industry in {place} has received large amounts of state support since {year}.",
        "Semiconductor stocks in {place} moved sharply on the news.",
    ],
    "rare": [
        "Start-ups in Beijing’s Zhongguancun district were among the first to test alternatives.",
        "A developer in Zhongguancun said his team had moved its workloads over a weekend.",
    ],
    "phrase": [
        "{co} offered free tokens to developers moving from OpenAI’s API.",
        "The offer of free tokens is aimed at small teams that built products on GPT-4o.",
        "{co} said it had handed out free tokens worth {money} in the first week.",
    ],
    "vpn": [
        "Some users had relied on a VPN to reach ChatGPT, but the API block applies to the account’s region.",
        "OpenAI’s terms say that access through a VPN from an unsupported region can lead to suspension.",
        "Sales of VPN subscriptions rose in {place} after the announcement, a reseller said.",
    ],
    "firewall": [
        "ChatGPT was never officially available behind China’s Great Firewall.",
        "The Great Firewall already blocks many foreign AI services for ordinary users.",
    ],
    "cjk": [
        "{name} ({zh}) said it would offer migration support to affected users.",
        "In Chinese-language statements, {name} ({zh}) described the change as an opportunity.",
        "{name}, known in Chinese as {zh}, said its services were unaffected.",
    ],
}

HEADLINES = [
    "OpenAI’s API block leaves {place} developers scrambling",
    "{co} courts OpenAI users with migration offers",
    "{gov} tightens oversight of generative AI",
    "{co} unveils {model} as rivals race to fill OpenAI gap",
    "Hong Kong start-ups weigh options after OpenAI cutoff",
    "What OpenAI’s exit means for China’s developers",
    "{person}: domestic models are ready for enterprise use",
    "Export controls cast long shadow over {co}’s AI plans",
    "{co} cuts model prices as competition heats up",
    "Developers in {place} race to switch before deadline",
    "Analysis: the cost of losing access to GPT-4o",
    "{org} warns of split in global AI ecosystem",
    "{co} says sign-ups soared after OpenAI announcement",
    "How {place} companies are rebuilding without OpenAI",
    "{model} gains users as OpenAI block takes effect",
    "{gov} backs homegrown large language models",
]
COMMON_HEADLINES = [
    "{co} bets on semiconductor self-reliance after OpenAI cutoff",
    "Semiconductor curbs shape the race to build large language models in {place}",
]

EVENT_TITLES = [
    ("{co} launches {model}", [("co", "launched"), ("model", "released")]),
    ("{gov} issues guidance on generative AI services", [("gov", "issued guidance")]),
    ("OpenAI’s API block takes effect for developers in {place}", [("place", "affected")]),
    ("{co} offers migration services to OpenAI API users", [("co", "offered migration")]),
    ("{co} cuts prices of {model} API", [("co", "cut prices"), ("model", "repriced")]),
    ("{gov} approves {model} for public release", [("gov", "approved"), ("model", "approved")]),
    ("{co} raises funding for large language model development", [("co", "raised funding")]),
    ("{org} publishes report on China’s AI industry", [("org", "published report")]),
    ("{co} opens data centre in {place}", [("co", "opened data centre"), ("place", "host")]),
    ("{person} appointed to lead {co}", [("person", "appointed"), ("co", "appointed")]),
]
SLOT_KINDS = {
    "co": "company", "gov": "government", "place": "place",
    "model": "ai_model", "org": "organization", "person": "person",
}  # fmt: skip
EVENT_SENTENCES = [
    "The move followed OpenAI’s decision to stop serving API users in mainland China and Hong Kong.",
    "Industry observers saw it as part of a wider push toward domestic AI systems.",
    "Details were reported by several outlets at the time.",
    "The announcement was made at a press briefing.",
    "Further changes were expected in the following months.",
]
REASONS = {
    "corroborated": "Corroborated by later reporting from {outlet}.",
    "disputed": "Disputed: {name} gave a different figure in a later statement.",
    "refuted": "Refuted by public filings published in {year}.",
}
# First words of sentences that stay lowercase inside a claim's statement.
LOWERCASE_LEADS = {
    "the", "some", "several", "smaller", "critics", "lawyers", "local", "analysts", "demand",
    "pricing", "migration", "hardware", "compute", "engineers", "shares", "access", "cloud",
    "rival", "customers", "usage", "training", "export", "chipmakers", "universities",
    "regulators", "industry", "investors", "officials", "researchers", "benchmarks",
    "providers", "a", "observers", "executives", "developers", "companies", "in",
}  # fmt: skip
CLAIM_LEADS = ["{name} says", "According to {name},", "{name} claims", "{name} argues"]

_FIELD = re.compile(r"{(\w+)}")


# --- Output records ----------------------------------------------------------------


@dataclass(slots=True)
class SourceRow:
    id: int
    name: str
    slug: str
    homepage: str
    description: str


@dataclass(slots=True)
class EntityRow:
    id: int
    kind: str
    name: str
    slug: str
    description: str
    status: str
    aliases: list[tuple[str, str]]  # (name, language)


@dataclass(slots=True)
class ArticleRow:
    id: int
    title: str
    slug: str
    source_id: int
    original_url: str
    author: str
    published_on: datetime.date
    summary: str
    body: str
    content_hash: str
    status: str
    entity_ids: list[int]


@dataclass(slots=True)
class EventRow:
    id: int
    title: str
    slug: str
    date: datetime.date
    date_precision: str
    end_date: datetime.date | None
    description: str
    status: str
    participants: list[tuple[int, str]]  # (entity id, role)
    article_ids: list[int]


@dataclass(slots=True)
class ClaimRow:
    id: int
    statement: str
    slug: str
    claimant_id: int
    article_id: int
    quote: str
    quote_start: int  # where the quote is in the article's body, as Claim.save() stores it
    kind: str
    verification: str
    verification_reason: str
    status: str
    about_ids: list[int]
    event_ids: list[int] = field(default_factory=list)


def markdown_html(text: str) -> str:
    """The trivial rendering of one plain paragraph, for the *_html columns."""
    return f"<p>{html.escape(text)}</p>" if text else ""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Slugs:
    """Unique slugs without a database round trip: the slugified text, then -2, -3…"""

    def __init__(self, max_length: int = 80):
        self.max_length = max_length
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 6].strip("-")
        if not base:
            base = "x-" + hashlib.sha1(text.encode()).hexdigest()[:10]
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        return base if n == 1 else f"{base}-{n}"


class _Slots(dict):
    """format_map() values: fixed ones in the dict, the others drawn when a template asks."""

    __slots__ = ("pick",)

    def __missing__(self, key):
        return self.pick(key)


# --- The generator ------------------------------------------------------------------


class Corpus:
    """Everything for an n-article corpus. Ids start at 1 in every table."""

    def __init__(self, n: int, seed: int = 42):
        self.n = n
        self.seed = seed
        self.rng = random.Random(seed)
        self.counts = expected_counts(n)
        self.sources = self._make_sources()
        self.entities = self._make_entities()
        self.by_kind: dict[str, list[EntityRow]] = {}
        for e in self.entities:
            if e.slug not in NOT_IN_SLOTS:
                self.by_kind.setdefault(e.kind, []).append(e)
        self._plan_articles()
        self.claims: list[ClaimRow] = []
        self.article_dates: list[datetime.date] = []
        self.article_entities: list[list[int]] = []

    # Outlets and entities ---------------------------------------------------

    def _make_sources(self) -> list[SourceRow]:
        names = [f"{a} {b}" for a in OUTLET_FIRST for b in OUTLET_SECOND]
        self.rng.shuffle(names)
        rows = []
        for i, name in enumerate(names[:50], start=1):
            slug = slugify(name)
            rows.append(
                SourceRow(
                    i,
                    name,
                    slug,
                    f"https://{slug}.example/",
                    f"{name} covers technology and business in Greater China.",
                )
            )
        return rows

    def _brand(self, used: set[str]) -> tuple[str, str, str]:
        rng = self.rng
        # Two syllables make 6,320 brands; a million articles need about 30,000, and once
        # two-syllable ones grow scarce the search for a new one would never end. Up to
        # TWO_SYLLABLE_BRANDS (more than 100k articles use), the names stay as they were.
        size = 2 if len(used) < TWO_SYLLABLE_BRANDS else 3
        while True:
            parts = rng.sample(SYLLABLES, size)
            en = "".join(p[0] for p in parts).capitalize()
            if en.lower() in RESERVED_BRANDS or en in used:
                continue
            used.add(en)
            return en, "".join(p[1] for p in parts), "".join(p[2] for p in parts)

    def _make_entities(self) -> list[EntityRow]:
        rng = self.rng
        total = self.counts["entities"]
        rows: list[EntityRow] = []
        names: set[str] = set()
        zh_names: set[str] = set()
        slugs = Slugs()
        self.mention_share: list[float] = []
        for slug, name, kind, aliases, share in REAL_ENTITIES:
            slugs.seen[slug] = 1
            rows.append(
                EntityRow(
                    len(rows) + 1,
                    kind,
                    name,
                    slug,
                    f"{name}, one of the players in the story.",
                    "published",
                    list(aliases),
                )
            )
            self.mention_share.append(share)
            names.add(name)
            zh_names.update(a for a, lang in aliases if lang.startswith("zh"))
        brands: set[str] = set()
        synthetic = total - len(rows)
        kinds = [k for k, share in KIND_SHARES for _ in range(round(share * synthetic))]
        kinds = (kinds + ["company"] * synthetic)[:synthetic]
        rng.shuffle(kinds)
        cities = [c for c in CITIES if c[0] not in REAL_CITY_NAMES]
        gov_combos = [(p, b) for p in cities + PROVINCES for b in GOV_BODIES]
        rng.shuffle(gov_combos)
        org_combos = [(c, o) for c in cities for o in ORG_KINDS]
        rng.shuffle(org_combos)
        place_cities = list(cities)
        rng.shuffle(place_cities)
        for kind in kinds:
            for _ in range(100):
                en, zh, tw, extra = self._synthetic_name(
                    kind, brands, gov_combos, org_combos, place_cities
                )
                if en not in names and zh not in zh_names:
                    break
            names.add(en)
            zh_names.add(zh)
            aliases = [(zh, "zh-Hans")]
            if tw != zh and rng.random() < 0.6:
                aliases.append((tw, "zh-Hant"))
            aliases.extend((a, "en") for a in extra)
            status = self._status(ENTITY_UNPUBLISHED_SHARE)
            rows.append(
                EntityRow(
                    len(rows) + 1,
                    kind,
                    en,
                    slugs(en),
                    self._entity_description(kind, en),
                    status,
                    aliases,
                )
            )
        return rows

    def _synthetic_name(self, kind, brands, gov_combos, org_combos, place_cities):
        """(English name, simplified, traditional, English aliases) for a new entity."""
        rng = self.rng
        if kind == "company":
            en, zh, tw = self._brand(brands)
            sector = rng.choice(COMPANY_SECTORS)
            extra = [f"{en} {sector[0]} Co., Ltd."] if rng.random() < 0.5 else []
            return f"{en} {sector[0]}", zh + sector[1], tw + sector[2], extra
        if kind == "person":
            surname = rng.choice(SURNAMES)
            given = rng.sample(SYLLABLES, rng.choice((1, 2, 2, 2)))
            g_en = "".join(s[0] for s in given).capitalize()
            zh = surname[1] + "".join(s[1] for s in given)
            tw = surname[2] + "".join(s[2] for s in given)
            return f"{surname[0]} {g_en}", zh, tw, [f"{g_en} {surname[0]}"]
        if kind == "government" and gov_combos:
            (place, pzh, ptw), (body, bzh, btw) = gov_combos.pop()
            return f"{place} {body}", pzh + bzh, ptw + btw, []
        if kind == "government":
            en, zh, tw = self._brand(brands)
            return f"{en} District Government", zh + "区政府", tw + "區政府", []
        if kind == "organization":
            if org_combos and rng.random() < 0.5:
                (city, czh, ctw), (fmt_en, fmt_zh, fmt_tw) = org_combos.pop()
                return (fmt_en.format(city=city), fmt_zh.format(zh=czh), fmt_tw.format(tw=ctw), [])
            en, zh, tw = self._brand(brands)
            fmt_en, fmt_zh, fmt_tw = rng.choice(BRAND_ORG_KINDS)
            return fmt_en.format(brand=en), fmt_zh.format(zh=zh), fmt_tw.format(tw=tw), []
        if kind == "place":
            if place_cities:
                return (*place_cities.pop(), [])
            en, zh, tw = self._brand(brands)
            fmt_en, fmt_zh, fmt_tw = rng.choice(PLACE_KINDS)
            return fmt_en.format(brand=en), fmt_zh.format(zh=zh), fmt_tw.format(tw=tw), []
        # ai_model
        en, zh, tw = self._brand(brands)
        version = rng.choice(MODEL_VERSIONS)
        return f"{en}-{version}", f"{zh}大模型", f"{tw}大模型", [f"{en}LM"]

    @staticmethod
    def _entity_description(kind: str, name: str) -> str:
        return {
            "company": f"{name} is a Chinese technology company that builds AI products.",
            "person": f"{name} works in China’s AI industry and comments on it.",
            "organization": f"{name} studies and promotes artificial intelligence in China.",
            "government": f"{name} oversees technology and industry policy.",
            "place": f"{name} is home to many of China’s AI start-ups.",
            "ai_model": f"{name} is a large language model offered through an API.",
        }[kind]

    # Articles ---------------------------------------------------------------

    def _plan_articles(self) -> None:
        rng, n, c = self.rng, self.n, self.counts
        ids = list(range(n))
        unpublished = rng.sample(ids, c["unpublished"])
        withdrawn, review = c["withdrawn"], c["review"]
        self.unpublished = dict.fromkeys(unpublished, "draft")
        for i in unpublished[:withdrawn]:
            self.unpublished[i] = "withdrawn"
        for i in unpublished[withdrawn : withdrawn + review]:
            self.unpublished[i] = "review"
        published = [i for i in ids if i not in self.unpublished]
        self.flags: dict[int, list[str]] = {}

        def mark(k: int, flag: str, pool=published) -> list[int]:
            chosen = rng.sample(pool, min(k, len(pool)))
            for i in chosen:
                self.flags.setdefault(i, []).append(flag)
            return chosen

        for flag in ("common", "rare", "phrase"):
            mark(c[flag], flag)
        vpn = mark(c["vpn"], "vpn")
        for i in vpn[: c["vpn_with_firewall"]]:
            self.flags[i].append("firewall")
        vpn_set = set(vpn)
        mark(c["firewall_without_vpn"], "firewall", [i for i in published if i not in vpn_set])
        cjk = mark(c["cjk_inline"], "cjk")
        self.sensetime_cjk = set(cjk[: c["cjk_query"]])
        # Claims: n/2 spread over published articles, at most three per article.
        self.claims_per_article: dict[int, int] = {}
        remaining = min(c["claims"], 3 * len(published))
        while remaining:
            i = rng.choice(published)
            if self.claims_per_article.get(i, 0) < 3:
                self.claims_per_article[i] = self.claims_per_article.get(i, 0) + 1
                remaining -= 1
        real_shares = self.mention_share
        self._real_ids = [i + 1 for i in range(len(real_shares))]
        synthetic = self.entities[len(real_shares) :]
        weights = [1 / (rank + 10) for rank in range(len(synthetic))]
        self._synthetic_ids = [e.id for e in synthetic]
        total, self._synthetic_cum = 0.0, []
        for w in weights:
            total += w
            self._synthetic_cum.append(total)

    def _random_date(self) -> datetime.date:
        rng = self.rng
        lo, hi = (PEAK_FROM, PEAK_TO) if rng.random() < PEAK_SHARE else (DATE_FROM, DATE_TO)
        return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))

    def _mentions(self, want: int) -> list[int]:
        rng = self.rng
        chosen: list[int] = []
        for entity_id, share in zip(self._real_ids, self.mention_share, strict=True):
            if rng.random() < share:
                chosen.append(entity_id)
        rng.shuffle(chosen)
        chosen = chosen[:want]
        while len(chosen) < want:
            pick = rng.choices(self._synthetic_ids, cum_weights=self._synthetic_cum)[0]
            if pick not in chosen:
                chosen.append(pick)
        return chosen

    def articles(self):
        """Yield ArticleRow for ids 1..n; collects claims as it goes (self.claims)."""
        rng = self.rng
        slugs = Slugs()
        hashes: set[str] = set()
        entities = self.entities
        sensetime = next(e.id for e in entities if e.slug == "sensetime")
        for i in range(self.n):
            flags = self.flags.get(i, ())
            mentioned = self._mentions(rng.randint(3, 8))
            if i in self.sensetime_cjk and sensetime not in mentioned:
                mentioned[-1] = sensetime
            ents = [entities[e - 1] for e in mentioned]
            if "cjk" in flags and not any(self._zh(e) for e in ents):
                # Name in Chinese an entity that has a Chinese name: a synthetic one.
                pick = rng.choice([e for e in self._synthetic_ids if e not in mentioned])
                mentioned[-1] = pick
                ents[-1] = entities[pick - 1]
            by_kind: dict[str, list[str]] = {}
            for e in ents:
                if e.slug not in NOT_IN_SLOTS:
                    by_kind.setdefault(e.kind, []).append(e.name)
            slots = self._slots(by_kind)
            # Sentences: (text, quotable)
            sentences: list[tuple[str, bool]] = []
            for e in ents:
                template = rng.choice(INTRODUCTIONS.get(e.slug) or INTRODUCTIONS[e.kind])
                s = template.replace("{name}", e.name).format_map(slots)
                sentences.append((s[0].upper() + s[1:], True))
            specials: list[str] = []
            for flag in flags:
                if flag == "cjk":
                    if i in self.sensetime_cjk:
                        target, zh = entities[sensetime - 1], "商汤科技"
                    else:
                        target = rng.choice([e for e in ents if self._zh(e)])
                        zh = self._zh(target)
                    template = rng.choice(CONTROL_SENTENCES["cjk"])
                    specials.append(template.format_map(_fixed(slots, name=target.name, zh=zh)))
                    continue
                repeats = rng.randint(1, 4) if flag == "common" else 1
                for _ in range(repeats):
                    specials.append(rng.choice(CONTROL_SENTENCES[flag]).format_map(slots))
            target_words = rng.randint(WORDS_MIN, WORDS_MAX - 20)
            words = sum(len(s.split()) for s, _ in sentences) + sum(
                len(s.split()) for s in specials
            )
            for template in rng.sample(SENTENCES, len(SENTENCES)):
                if words >= target_words:
                    break
                s = template.format_map(slots)
                sentences.append((s[0].upper() + s[1:], True))
                words += len(s.split())
            # The introductions lead; the rest is shuffled; the specials land anywhere.
            intro, rest = sentences[:2], sentences[2:]
            rng.shuffle(rest)
            sentences = intro + rest
            for s in specials:
                sentences.insert(rng.randint(1, len(sentences)), (s, False))
            paragraphs, at = [], 0
            while at < len(sentences):
                size = rng.randint(2, 5)
                paragraphs.append(" ".join(s for s, _ in sentences[at : at + size]))
                at += size
            body = "\n\n".join(paragraphs)
            digest = sha256_hex(body)
            while digest in hashes:  # never in practice; the hash must be unique
                body += "\n\nThe company did not respond to a request for comment."
                digest = sha256_hex(body)
            hashes.add(digest)
            if "common" in flags and rng.random() < 0.3:
                title = rng.choice(COMMON_HEADLINES).format_map(slots)
            else:
                title = rng.choice(HEADLINES).format_map(slots)
            slug = slugs(title)
            date = self._random_date()
            source = self.sources[rng.randrange(len(self.sources))]
            url = "" if rng.random() < 0.04 else f"{source.homepage}{date:%Y/%m}/{slug}"
            author = (
                f"{rng.choice(AUTHOR_FIRST)} {rng.choice(AUTHOR_LAST)}"
                if rng.random() < 0.85
                else ""
            )
            status = self.unpublished.get(i, "published")
            article_id = i + 1
            self.article_dates.append(date)
            self.article_entities.append(mentioned)
            for _ in range(self.claims_per_article.get(i, 0)):
                self._claim(article_id, body, sentences, ents)
            yield ArticleRow(
                article_id,
                title,
                slug,
                source.id,
                url,
                author,
                date,
                sentences[0][0],
                body,
                digest,
                status,
                mentioned,
            )

    @staticmethod
    def _zh(entity: EntityRow) -> str:
        """The entity's first Chinese name, or ""."""
        return next((a for a, lang in entity.aliases if lang.startswith("zh-Han")), "")

    def _slots(self, by_kind: dict[str, list[str]]) -> _Slots:
        rng = self.rng
        fallback = self.by_kind

        def from_kind(kind: str) -> str:
            names = by_kind.get(kind)
            if names and rng.random() < 0.8:
                return rng.choice(names)
            return rng.choice(fallback[kind]).name

        pickers = {
            "co": lambda: from_kind("company"),
            "co2": lambda: from_kind("company"),
            "person": lambda: from_kind("person"),
            "gov": lambda: from_kind("government"),
            "place": lambda: from_kind("place"),
            "model": lambda: from_kind("ai_model"),
            "org": lambda: from_kind("organization"),
            "role": lambda: rng.choice(ROLES),
            "product": lambda: rng.choice(PRODUCTS),
            "devs": lambda: rng.choice(DEVS),
            "n": lambda: str(rng.randint(2, 90)),
            "pct": lambda: f"{rng.randint(2, 45)}%",
            "price": lambda: f"{rng.randint(1, 30) / 10:.1f} yuan",
            "money": lambda: f"{rng.randint(2, 90) * 10} million yuan",
            "month": lambda: rng.choice(MONTHS),
            "year": lambda: str(rng.randint(2019, 2025)),
        }
        slots = _Slots()
        slots.pick = lambda key: pickers[key]()
        return slots

    # Claims -----------------------------------------------------------------

    def _status(self, unpublished_share: float = UNPUBLISHED_SHARE) -> str:
        rng = self.rng
        if rng.random() >= unpublished_share:
            return "published"
        return rng.choices(*zip(*UNPUBLISHED_STATUSES, strict=True))[0]

    def _claim(self, article_id: int, body: str, sentences, ents: list[EntityRow]) -> None:
        rng = self.rng
        quotable = [s for s, ok in sentences if ok]
        taken = {c.quote for c in self.claims[-3:] if c.article_id == article_id}
        candidates = [s for s in quotable if s not in taken] or quotable
        quote = rng.choice(candidates)
        speakers = [
            e for e in ents if e.kind in ("person", "company", "government", "organization")
        ]
        claimant = rng.choice(speakers or ents)
        about = rng.sample(ents, min(len(ents), rng.randint(1, 3)))
        # A claim is about what its quote names, as an editor would link it; the sample
        # above only stands in for a quote that names nobody (and keeps the random
        # stream, so the rest of the corpus is the same for a given seed).
        named = [e for e in ents if e.name in quote]
        about = named or about
        kind = rng.choices(["fact", "analysis", "opinion", "prediction"], [40, 25, 20, 15])[0]
        verification = rng.choices(
            ["unverified", "corroborated", "disputed", "refuted"], [70, 15, 10, 5]
        )[0]
        reason = ""
        if verification != "unverified":
            reason = REASONS[verification].format(
                outlet=rng.choice(self.sources).name,
                name=claimant.name,
                year=rng.randint(2022, 2026),
            )
        lead = rng.choice(CLAIM_LEADS).format(name=claimant.name)
        first, _, rest = quote.partition(" ")
        quote_text = f"{first.lower()} {rest}" if first.lower() in LOWERCASE_LEADS else quote
        statement = f"{lead} {quote_text}"
        status = self._status()
        start = body.index(quote)
        self.claims.append(
            ClaimRow(
                len(self.claims) + 1,
                statement,
                "",
                claimant.id,
                article_id,
                quote,
                start,
                kind,
                verification,
                reason,
                status,
                [e.id for e in about],
            )
        )

    def finish_claims(self) -> list[ClaimRow]:
        """Give claims their slugs (after the articles, so slugs are stable)."""
        slugs = Slugs()
        for c in self.claims:
            c.slug = slugs(c.statement[:70])
        return self.claims

    def claim_relations(self) -> list[tuple[int, int, str]]:
        """(source claim id, target claim id, kind): claims that share an about-entity."""
        rng = self.rng
        by_entity: dict[int, list[int]] = {}
        for c in self.claims:
            by_entity.setdefault(c.about_ids[0], []).append(c.id)
        groups = [ids for ids in by_entity.values() if len(ids) > 1]
        out: list[tuple[int, int, str]] = []
        seen: set[tuple[int, int, str]] = set()
        want = self.counts["claim_relations"]
        for _ in range(want * 5):
            if len(out) >= want or not groups:
                break
            src, dst = rng.sample(rng.choice(groups), 2)
            kind = rng.choice(["supports", "contradicts", "restates", "updates"])
            if (src, dst, kind) not in seen:
                seen.add((src, dst, kind))
                out.append((src, dst, kind))
        return out

    # Events -----------------------------------------------------------------

    def events(self) -> list[EventRow]:
        """Events after the articles: each cites 1–3 published articles."""
        rng = self.rng
        slugs = Slugs()
        published = [i for i in range(self.n) if i not in self.unpublished]
        rows: list[EventRow] = []
        claims_by_article: dict[int, list[ClaimRow]] = {}
        for c in self.claims:
            claims_by_article.setdefault(c.article_id, []).append(c)
        for event_id in range(1, self.counts["events"] + 1):
            article_idx = rng.sample(published, min(len(published), rng.randint(1, 3)))
            ents = [self.entities[e - 1] for e in self.article_entities[article_idx[0]]]
            by_kind: dict[str, list[EntityRow]] = {}
            for e in ents:
                if e.slug not in NOT_IN_SLOTS:
                    by_kind.setdefault(e.kind, []).append(e)
            template, roles = rng.choice(EVENT_TITLES)
            values: dict[str, str] = {}
            participants: list[tuple[int, str]] = []
            for slot, role in roles:
                kind = SLOT_KINDS[slot]
                pool = by_kind.get(kind) or self.by_kind[kind]
                e = rng.choice(pool)
                values[slot] = e.name
                if all(p[0] != e.id for p in participants):
                    participants.append((e.id, role))
            title = template.format(**values)
            date = min(self.article_dates[i] for i in article_idx) - datetime.timedelta(
                days=rng.randint(0, 5)
            )
            date = max(date, DATE_FROM)
            precision = rng.choices(["day", "month", "year"], [80, 15, 5])[0]
            if precision == "month":
                date = date.replace(day=1)
            elif precision == "year":
                date = date.replace(month=1, day=1)
            end_date = None
            if precision == "day" and rng.random() < 0.1:
                end_date = date + datetime.timedelta(days=rng.randint(1, 30))
            description = " ".join(rng.sample(EVENT_SENTENCES, 2))
            status = self._status()
            article_ids = [i + 1 for i in article_idx]
            rows.append(
                EventRow(
                    event_id,
                    title,
                    slugs(title),
                    date,
                    precision,
                    end_date,
                    description,
                    status,
                    participants,
                    article_ids,
                )
            )
            for a in article_ids:
                for c in claims_by_article.get(a, ()):
                    if rng.random() < 0.5:
                        c.event_ids.append(event_id)
        return rows


def _fixed(slots: _Slots, **values) -> _Slots:
    out = _Slots(slots)
    out.pick = slots.pick
    out.update(values)
    return out


def template_fields(template: str) -> list[str]:
    return _FIELD.findall(template)
