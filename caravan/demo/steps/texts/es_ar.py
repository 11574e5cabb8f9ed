"""Spanish and Arabic texts of the demo home page, keyed by their English wording."""

ES = {
    "Industrial valves and flow meters from Xi'an": "Válvulas industriales y caudalímetros desde Xi'an",
    "Gate, ball and butterfly valves and electromagnetic flow meters, made in Xi'an and delivered by rail to Kazakhstan, Uzbekistan, Russia and Belarus.": "Válvulas de compuerta, de bola y de mariposa y caudalímetros electromagnéticos, fabricados en Xi'an y entregados por ferrocarril en Kazajistán, Uzbekistán, Rusia y Bielorrusia.",
    "Industrial valves and flow meters, tested and shipped by rail.": "Válvulas industriales y caudalímetros, probados y enviados por ferrocarril.",
    "Valves and flow meters that arrive ready to install": "Válvulas y caudalímetros que llegan listos para instalar",
    "We make gate, ball and butterfly valves and flow meters for water, heating and oil networks, test every one of them, and ship them by rail from our own yard in Xi'an to Almaty, Tashkent, Novosibirsk, Moscow and Minsk.": "Fabricamos válvulas de compuerta, de bola y de mariposa y caudalímetros para redes de agua, calefacción y petróleo, probamos cada una de ellas y las enviamos por ferrocarril desde nuestra terminal en Xi'an a Almaty, Taskent, Novosibirsk, Moscú y Minsk.",
    "See our products": "Ver nuestros productos",
}

AR = {
    "Industrial valves and flow meters from Xi'an": "صمامات صناعية وعدادات تدفق من شيآن",
    "Gate, ball and butterfly valves and electromagnetic flow meters, made in Xi'an and delivered by rail to Kazakhstan, Uzbekistan, Russia and Belarus.": "صمامات بوابية وكروية وفراشية وعدادات تدفق كهرومغناطيسية، تُصنع في شيآن وتُشحن بالقطار إلى كازاخستان وأوزبكستان وروسيا وبيلاروسيا.",
    "Industrial valves and flow meters, tested and shipped by rail.": "صمامات صناعية وعدادات تدفق، مختبرة ومشحونة بالقطار.",
    "Valves and flow meters that arrive ready to install": "صمامات وعدادات تدفق تصل جاهزة للتركيب",
    "We make gate, ball and butterfly valves and flow meters for water, heating and oil networks, test every one of them, and ship them by rail from our own yard in Xi'an to Almaty, Tashkent, Novosibirsk, Moscow and Minsk.": "نصنع الصمامات البوابية والكروية والفراشية وعدادات التدفق لشبكات المياه والتدفئة والنفط، ونختبر كل قطعة منها، ثم نشحنها بالقطار من ساحتنا في شيآن إلى ألماتي وطشقند ونوفوسيبيرسك وموسكو ومينسك.",
    "See our products": "تصفح منتجاتنا",
}

ES_COMPANY = {
    "tagline": "Válvulas y caudalímetros enviados por ferrocarril desde Xi'an a toda Eurasia",
    "business_hours": "Lun–sáb 08:30–18:00 (UTC+8)",
    "reply_time": "en un día laborable",
}

AR_COMPANY = {
    "tagline": "صمامات وعدادات تدفق تُشحن بالقطار من شيآن إلى أنحاء أوراسيا",
    "business_hours": "من الاثنين إلى السبت 08:30–18:00 (UTC+8)",
    "reply_time": "خلال يوم عمل واحد",
}
