"""Texts of the demo's home sections, certificates and “Certificates” page in Russian,
Simplified Chinese, Spanish and Arabic, keyed by their English wording."""

FACTORY = (
    "Foundry, twelve CNC lines, two assembly halls and a test bay with its own water "
    "tower, all on one site on Qinling Industrial Road. Buyers are welcome to watch their "
    "order being tested."
)
INQUIRY = (
    "Give the sizes, pressures and quantities and the station the goods should reach, and "
    "an engineer from our export desk will answer with prices and a delivery date."
)
INTRO = (
    "The certificates our valves and flow meters are made and sold under. Each one links "
    "to its scan and, where the issuer keeps a public register, to the issuer's own record "
    "of it."
)
ASK = (
    "Need a certificate that is not listed, or a copy stamped by the issuer? Ask our "
    "export desk through the inquiry form."
)
SCOPE_QMS = "Design, casting, machining, assembly and testing of industrial valves and flow meters."
SCOPE_EAC = "Gate, ball and butterfly valves to TR CU 010/2011 and TR CU 032/2013."
SCOPE_PED = "Pressure equipment, module H: valves DN50 to DN600, PN10 to PN40."
SCOPE_EMS = "Environmental management of the Xi'an works, foundry included."
MARKETS = "By rail through Khorgos and Alashankou, by sea through Tianjin and Qingdao."

RU = {
    "Valid certificates": "Действующие сертификаты",
    "years of making valves": "лет выпускаем арматуру",
    "of foundry, workshops and test bay": "литейного, механических цехов и испытательного участка",
    "people, 31 of them engineers": "сотрудников, из них 31 инженер",
    "countries we ship to": "стран, куда мы отгружаем",
    "Inside our works": "Наше производство",
    FACTORY: "Литейный цех, двенадцать линий с ЧПУ, два сборочных цеха и испытательный участок с собственной водонапорной башней — всё на одной площадке на Циньлинской промышленной улице. Покупатель может приехать и увидеть испытания своего заказа.",
    "A walk through the test bay": "Прогулка по испытательному участку",
    MARKETS: "По железной дороге через Хоргос и Алашанькоу, морем через Тяньцзинь и Циндао.",
    "Send us your drawing or your list": "Пришлите нам чертёж или спецификацию",
    INQUIRY: "Укажите размеры, давление, количество и станцию назначения — инженер экспортного отдела ответит ценами и сроком поставки.",
    "Certificates": "Сертификаты",
    INTRO: "Сертификаты, по которым изготавливаются и продаются наша арматура и расходомеры. У каждого есть ссылка на скан, а если орган по сертификации ведёт открытый реестр, то и на запись в нём.",
    "Quality, environmental and conformity certificates of Silkline.": "Сертификаты Silkline: качество, экология и соответствие.",
    ASK: "Нужен сертификат, которого нет в списке, или копия с печатью органа по сертификации? Напишите экспортному отделу через форму запроса.",
    "EAC declaration of conformity": "Декларация о соответствии ЕАЭС",
    "CE marking (PED 2014/68/EU)": "Маркировка CE (PED 2014/68/EU)",
    SCOPE_QMS: "Проектирование, литьё, механическая обработка, сборка и испытания промышленной арматуры и расходомеров.",
    SCOPE_EAC: "Задвижки, шаровые краны и дисковые затворы по ТР ТС 010/2011 и ТР ТС 032/2013.",
    SCOPE_PED: "Оборудование под давлением, модуль H: арматура от DN50 до DN600, от PN10 до PN40.",
    SCOPE_EMS: "Экологический менеджмент завода в Сиане, включая литейный цех.",
}

ZH = {
    "Valid certificates": "有效证书",
    "years of making valves": "年阀门制造经验",
    "of foundry, workshops and test bay": "铸造、加工车间和试验区面积",
    "people, 31 of them engineers": "名员工，其中工程师31名",
    "countries we ship to": "个出口国家",
    "Inside our works": "走进我们的工厂",
    FACTORY: "铸造车间、十二条数控加工线、两个装配车间和带自有水塔的试验区，全部位于秦岭工业路的同一厂区。欢迎买家到厂观看自己订单的试验。",
    "A walk through the test bay": "参观试验区",
    MARKETS: "铁路经霍尔果斯和阿拉山口出境，海运经天津港和青岛港。",
    "Send us your drawing or your list": "请发送您的图纸或清单",
    INQUIRY: "请告诉我们规格、压力、数量和到站，外贸部的工程师会回复报价和交货期。",
    "Certificates": "资质证书",
    INTRO: "我们的阀门和流量计在以下证书下生产和销售。每份证书都附有扫描件；发证机构设有公开查询系统的，还附有其查询记录链接。",
    "Quality, environmental and conformity certificates of Silkline.": "Silkline的质量、环境和合格认证证书。",
    ASK: "需要未列出的证书，或加盖发证机构印章的副本？请通过询盘表单联系外贸部。",
    "EAC declaration of conformity": "EAC符合性声明",
    "CE marking (PED 2014/68/EU)": "CE标志（PED 2014/68/EU）",
    SCOPE_QMS: "工业阀门和流量计的设计、铸造、机加工、装配和试验。",
    SCOPE_EAC: "符合TR CU 010/2011和TR CU 032/2013的闸阀、球阀和蝶阀。",
    SCOPE_PED: "承压设备，模块H：DN50至DN600、PN10至PN40的阀门。",
    SCOPE_EMS: "西安工厂（含铸造车间）的环境管理。",
}

ES = {
    "Valid certificates": "Certificados vigentes",
    "years of making valves": "años fabricando válvulas",
    "of foundry, workshops and test bay": "de fundición, talleres y banco de pruebas",
    "people, 31 of them engineers": "personas, 31 de ellas ingenieros",
    "countries we ship to": "países a los que enviamos",
    "Inside our works": "Dentro de nuestra fábrica",
    FACTORY: "Fundición, doce líneas CNC, dos naves de montaje y un banco de pruebas con su propio depósito de agua, todo en un mismo recinto de la calle industrial Qinling. Los compradores pueden venir a ver la prueba de su pedido.",
    "A walk through the test bay": "Un recorrido por el banco de pruebas",
    MARKETS: "Por ferrocarril a través de Khorgos y Alashankou, por mar a través de Tianjin y Qingdao.",
    "Send us your drawing or your list": "Envíenos su plano o su lista",
    INQUIRY: "Indique medidas, presiones, cantidades y la estación de destino, y un ingeniero de nuestro departamento de exportación le responderá con precios y plazo de entrega.",
    "Certificates": "Certificados",
    INTRO: "Los certificados con los que fabricamos y vendemos nuestras válvulas y caudalímetros. Cada uno enlaza con su copia escaneada y, cuando el organismo emisor tiene un registro público, con su propio registro.",
    "Quality, environmental and conformity certificates of Silkline.": "Certificados de calidad, medio ambiente y conformidad de Silkline.",
    ASK: "¿Necesita un certificado que no figura aquí, o una copia sellada por el emisor? Pídalo a nuestro departamento de exportación con el formulario de consulta.",
    "EAC declaration of conformity": "Declaración de conformidad EAC",
    "CE marking (PED 2014/68/EU)": "Marcado CE (PED 2014/68/UE)",
    SCOPE_QMS: "Diseño, fundición, mecanizado, montaje y prueba de válvulas industriales y caudalímetros.",
    SCOPE_EAC: "Válvulas de compuerta, de bola y de mariposa según TR CU 010/2011 y TR CU 032/2013.",
    SCOPE_PED: "Equipos a presión, módulo H: válvulas de DN50 a DN600, de PN10 a PN40.",
    SCOPE_EMS: "Gestión ambiental de la fábrica de Xi'an, fundición incluida.",
}

AR = {
    "Valid certificates": "الشهادات السارية",
    "years of making valves": "عامًا في صناعة الصمامات",
    "of foundry, workshops and test bay": "مساحة المسبك والورش ومنصة الاختبار",
    "people, 31 of them engineers": "موظفًا، منهم 31 مهندسًا",
    "countries we ship to": "دولة نشحن إليها",
    "Inside our works": "داخل مصنعنا",
    FACTORY: "مسبك واثنا عشر خط تشغيل رقمي وقاعتا تجميع ومنصة اختبار لها خزان مياه خاص بها، كلها في موقع واحد على طريق تشينلينغ الصناعي. يسعدنا أن يحضر المشترون اختبار طلباتهم.",
    "A walk through the test bay": "جولة في منصة الاختبار",
    MARKETS: "بالقطار عبر خورغوس وألاشانكو، وبحرًا عبر تيانجين وتشينغداو.",
    "Send us your drawing or your list": "أرسل إلينا رسمك الهندسي أو قائمتك",
    INQUIRY: "اذكر المقاسات والضغوط والكميات والمحطة التي يجب أن تصل إليها البضاعة، وسيرد عليك مهندس من قسم التصدير بالأسعار وموعد التسليم.",
    "Certificates": "الشهادات",
    INTRO: "الشهادات التي تُصنع صماماتنا وعدادات التدفق لدينا وتُباع بموجبها. لكل منها رابط إلى نسختها الممسوحة، وإلى سجل الجهة المانحة حيث يكون لها سجل عام.",
    "Quality, environmental and conformity certificates of Silkline.": "شهادات الجودة والبيئة والمطابقة لشركة Silkline.",
    ASK: "هل تحتاج إلى شهادة غير مدرجة، أو نسخة مختومة من الجهة المانحة؟ اطلبها من قسم التصدير عبر نموذج الاستفسار.",
    "EAC declaration of conformity": "إعلان المطابقة EAC",
    "CE marking (PED 2014/68/EU)": "علامة CE ‏(PED 2014/68/EU)",
    SCOPE_QMS: "تصميم الصمامات الصناعية وعدادات التدفق وسبكها وتشغيلها وتجميعها واختبارها.",
    SCOPE_EAC: "صمامات بوابية وكروية وفراشية وفق TR CU 010/2011 وTR CU 032/2013.",
    SCOPE_PED: "معدات الضغط، الوحدة H: صمامات من DN50 إلى DN600، ومن PN10 إلى PN40.",
    SCOPE_EMS: "الإدارة البيئية لمصنع شيآن، بما فيه المسبك.",
}
