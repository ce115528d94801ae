"""The seeded risk checklist: 24 yes/no questions in the style of DASH (2009),
bands 0–9 standard, 10–13 medium, 14+ high. Reference data: a new version is a
new RiskInstrument row, old assessments keep theirs."""

import uuid

from django.db import migrations

CODE, VERSION = "dash-24", "2026.1"

QUESTIONS = [
    ("Has the current incident resulted in injury?",
     "Привёл ли нынешний случай к травмам?",
     "Осы оқиға жарақатқа әкелді ме?"),
    ("Are you very frightened?",
     "Вы очень напуганы?",
     "Сіз қатты қорқып тұрсыз ба?"),
    ("Are you afraid of further injury or violence?",
     "Боитесь ли вы новых травм или насилия?",
     "Жаңа жарақаттан немесе зорлық-зомбылықтан қорқасыз ба?"),
    ("Do you feel isolated from family or friends?",
     "Чувствуете ли вы себя отрезанной от семьи или друзей?",
     "Отбасыңыздан немесе достарыңыздан оқшауланғандай сезінесіз бе?"),
    ("Are you feeling depressed or having thoughts of suicide?",
     "Вы в подавленном состоянии или у вас бывают мысли о самоубийстве?",
     "Көңіл-күйіңіз түсіп жүр ме, өз-өзіңізге қол жұмсау туралы ойлар бола ма?"),
    ("Have you separated or tried to separate from him within the past year?",
     "Вы расстались или пытались расстаться с ним за последний год?",
     "Соңғы бір жылда онымен ажырастыңыз ба, әлде ажырасуға тырыстыңыз ба?"),
    ("Is there conflict over contact with the children?",
     "Есть ли конфликт из-за общения с детьми?",
     "Балалармен қарым-қатынас бойынша дау бар ма?"),
    ("Does he constantly call, message, follow or stalk you?",
     "Он постоянно звонит, пишет, преследует или выслеживает вас?",
     "Ол сізге үнемі қоңырау шалып, хабарлама жазып, соңыңыздан аңдып жүре ме?"),
    ("Are you pregnant or have you recently had a baby?",
     "Вы беременны или недавно родили?",
     "Сіз жүктісіз бе, әлде жақында босандыңыз ба?"),
    ("Is the abuse happening more often?",
     "Насилие происходит чаще, чем раньше?",
     "Зорлық-зомбылық бұрынғыдан жиі бола ма?"),
    ("Is the abuse getting worse?",
     "Насилие становится тяжелее?",
     "Зорлық-зомбылық ауырлап бара ма?"),
    ("Does he try to control everything you do, or is he excessively jealous?",
     "Он пытается контролировать всё, что вы делаете, или чрезмерно ревнует?",
     "Ол сіздің әр ісіңізді бақылауға тырыса ма, әлде шектен тыс қызғана ма?"),
    ("Has he ever used weapons or objects to hurt you?",
     "Применял ли он когда-нибудь оружие или предметы, чтобы причинить вам боль?",
     "Ол сізге зиян келтіру үшін қару немесе заттар қолданған кезі болды ма?"),
    ("Has he ever threatened to kill you or someone else, and you believed him?",
     "Угрожал ли он убить вас или кого-то ещё так, что вы ему поверили?",
     "Ол сізді немесе басқа біреуді өлтіремін деп қорқытып, сіз оған сендіңіз бе?"),
    ("Has he ever tried to strangle, choke, suffocate or drown you?",
     "Пытался ли он когда-нибудь душить, топить или лишать вас воздуха?",
     "Ол сізді тұншықтыруға, буындыруға немесе суға батыруға әрекет етті ме?"),
    ("Does he do or say sexual things that make you feel bad or that hurt you?",
     "Делает или говорит ли он что-то сексуального характера, что унижает или причиняет вам боль?",
     "Ол сізді қорлайтын немесе ауыртатын жыныстық сипаттағы әрекет жасай ма, сөз айта ма?"),
    ("Is there another person who has threatened you or whom you are afraid of?",
     "Есть ли другой человек, который угрожал вам или которого вы боитесь?",
     "Сізге қоқан-лоққы көрсеткен немесе сіз қорқатын басқа адам бар ма?"),
    ("Do you know if he has hurt anyone else?",
     "Известно ли вам, причинял ли он вред кому-то ещё?",
     "Оның басқа біреуге зиян келтіргенін білесіз бе?"),
    ("Has he ever mistreated an animal or the family pet?",
     "Издевался ли он когда-нибудь над животными или домашним питомцем?",
     "Ол жануарға немесе үй жануарына қатыгездік көрсеткен бе?"),
    ("Are there any financial issues, or does he control the money?",
     "Есть ли денежные проблемы или он контролирует деньги?",
     "Қаржылық қиындықтар бар ма, әлде ақшаны ол бақылай ма?"),
    ("Has he had problems in the past year with drugs, alcohol or mental health?",
     "Были ли у него за последний год проблемы с наркотиками, алкоголем или психическим здоровьем?",
     "Соңғы бір жылда оның есірткіге, алкогольге немесе психикалық денсаулыққа байланысты проблемалары болды ма?"),
    ("Has he ever threatened or attempted suicide?",
     "Угрожал ли он когда-нибудь покончить с собой или пытался это сделать?",
     "Ол өз-өзіне қол жұмсаймын деп қорқытқан немесе әрекет жасаған ба?"),
    ("Has he ever broken a protection order or a formal agreement?",
     "Нарушал ли он когда-нибудь защитное предписание или официальную договорённость?",
     "Ол қорғау нұсқамасын немесе ресми келісімді бұзған ба?"),
    ("Do you know if he has been in trouble with the police or has a criminal history?",
     "Известно ли вам, были ли у него проблемы с полицией или судимости?",
     "Оның полициямен проблемалары немесе соттылығы болғанын білесіз бе?"),
]


def load(apps, schema_editor):
    RiskInstrument = apps.get_model("cases", "RiskInstrument")
    RiskQuestion = apps.get_model("cases", "RiskQuestion")
    instrument, _ = RiskInstrument.objects.update_or_create(
        code=CODE,
        version=VERSION,
        defaults={
            "id": uuid.uuid5(uuid.NAMESPACE_URL, f"crisis-ops/risk/{CODE}/{VERSION}"),
            "name": "DASH-style checklist",
            "band_thresholds": {"standard": 0, "medium": 10, "high": 14},
            "is_current": True,
        },
    )
    for number, (en, ru, kk) in enumerate(QUESTIONS, start=1):
        RiskQuestion.objects.update_or_create(
            instrument=instrument,
            number=number,
            defaults={
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"crisis-ops/risk/{CODE}/{VERSION}/{number}"),
                "text_en": en,
                "text_ru": ru,
                "text_kk": kk,
                "weight": 1,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "RiskInstrument").objects.filter(code=CODE, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
