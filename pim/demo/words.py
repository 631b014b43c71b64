"""Words the demo catalog is made of, in its six locales."""

LOCALES = ("en_US", "fr_FR", "de_DE", "pl_PL", "ro_RO", "el_GR")

COLORS = {
    "black": ("Black", "Noir", "Schwarz", "Czarny", "Negru", "Μαύρο"),
    "white": ("White", "Blanc", "Weiß", "Biały", "Alb", "Λευκό"),
    "navy": ("Navy", "Marine", "Marineblau", "Granatowy", "Bleumarin", "Μπλε ναυτικό"),
    "red": ("Red", "Rouge", "Rot", "Czerwony", "Roșu", "Κόκκινο"),
    "green": ("Forest green", "Vert forêt", "Waldgrün", "Zieleń leśna", "Verde pădure",
              "Πράσινο δάσους"),
    "grey": ("Grey", "Gris", "Grau", "Szary", "Gri", "Γκρι"),
}

NOUNS = {
    "tshirts": ("T-shirt", "T-shirt", "T-Shirt", "Koszulka", "Tricou", "Μπλουζάκι"),
    "sneakers": ("Sneaker", "Basket", "Sneaker", "Sneakersy", "Adidași", "Αθλητικό παπούτσι"),
    "laptops": ("Laptop", "Ordinateur portable", "Notebook", "Laptop", "Laptop",
                "Φορητός υπολογιστής"),
    "headphones": ("Headphones", "Casque audio", "Kopfhörer", "Słuchawki", "Căști",
                   "Ακουστικά"),
    "mugs": ("Mug", "Mug", "Tasse", "Kubek", "Cană", "Κούπα"),
    "backpacks": ("Backpack", "Sac à dos", "Rucksack", "Plecak", "Rucsac", "Σακίδιο πλάτης"),
}

FAMILY_LABELS = NOUNS

DESCRIPTIONS = {
    "tshirts": (
        "<p>Soft {material} T-shirt with a relaxed fit. Machine washable at 30°C.</p>",
        "<p>T-shirt doux en {material}, coupe décontractée. Lavable en machine à 30 °C.</p>",
        "<p>Weiches T-Shirt aus {material} mit lockerer Passform. Maschinenwäsche bei 30 °C.</p>",
        "<p>Miękka koszulka z materiału {material}, luźny krój. Pranie w pralce w 30°C.</p>",
        "<p>Tricou moale din {material}, croială lejeră. Se spală la mașină la 30°C.</p>",
        "<p>Απαλό μπλουζάκι από {material} με άνετη εφαρμογή. Πλύσιμο στους 30°C.</p>",
    ),
    "default": (
        "<p>{name}: built to last, backed by a {warranty}-year warranty.</p>",
        "<p>{name} : conçu pour durer, garanti {warranty} ans.</p>",
        "<p>{name}: langlebig gebaut, mit {warranty} Jahren Garantie.</p>",
        "<p>{name}: solidna konstrukcja, {warranty} lata gwarancji.</p>",
        "<p>{name}: construit să dureze, cu garanție de {warranty} ani.</p>",
        "<p>{name}: κατασκευασμένο για να διαρκεί, με εγγύηση {warranty} ετών.</p>",
    ),
}

MATERIALS = {
    "cotton": ("Cotton", "Coton", "Baumwolle", "Bawełna", "Bumbac", "Βαμβάκι"),
    "organic_cotton": ("Organic cotton", "Coton bio", "Bio-Baumwolle", "Bawełna organiczna",
                       "Bumbac organic", "Βιολογικό βαμβάκι"),
    "polyester": ("Polyester", "Polyester", "Polyester", "Poliester", "Poliester", "Πολυεστέρας"),
    "leather": ("Leather", "Cuir", "Leder", "Skóra", "Piele", "Δέρμα"),
    "ceramic": ("Ceramic", "Céramique", "Keramik", "Ceramika", "Ceramică", "Κεραμικό"),
    "nylon": ("Nylon", "Nylon", "Nylon", "Nylon", "Nailon", "Νάιλον"),
}

GENDERS = {
    "female": ("Women", "Femme", "Damen", "Damskie", "Femei", "Γυναικεία"),
    "male": ("Men", "Homme", "Herren", "Męskie", "Bărbați", "Ανδρικά"),
    "unisex": ("Unisex", "Unisexe", "Unisex", "Unisex", "Unisex", "Unisex"),
}

CATEGORIES = {
    "master": ("Prism demo", "Démo Prism", "Prism-Demo", "Demo Prism", "Demo Prism",
               "Επίδειξη Prism"),
    "apparel": ("Apparel", "Vêtements", "Bekleidung", "Odzież", "Îmbrăcăminte", "Ένδυση"),
    "tops": ("Tops", "Hauts", "Oberteile", "Góry", "Topuri", "Μπλούζες"),
    "footwear": ("Footwear", "Chaussures", "Schuhe", "Obuwie", "Încălțăminte", "Υποδήματα"),
    "electronics": ("Electronics", "Électronique", "Elektronik", "Elektronika", "Electronice",
                    "Ηλεκτρονικά"),
    "computers": ("Computers", "Ordinateurs", "Computer", "Komputery", "Calculatoare",
                  "Υπολογιστές"),
    "audio": ("Audio", "Audio", "Audio", "Audio", "Audio", "Ήχος"),
    "home": ("Home", "Maison", "Zuhause", "Dom", "Casă", "Σπίτι"),
    "kitchen": ("Kitchen", "Cuisine", "Küche", "Kuchnia", "Bucătărie", "Κουζίνα"),
    "bags": ("Bags", "Sacs", "Taschen", "Torby", "Genți", "Τσάντες"),
}


def labels(words: tuple[str, ...]) -> dict[str, str]:
    """Map a tuple of words in LOCALES order to {locale: word}."""
    return dict(zip(LOCALES, words, strict=True))
