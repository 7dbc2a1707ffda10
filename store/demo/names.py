"""German names, streets and towns for the demo portfolio (invented combinations)."""

MALE_FIRST_NAMES = (
    "Max", "Paul", "Leon", "Felix", "Jonas", "Lukas", "Tim", "Jan", "Niklas", "Finn",
    "Moritz", "Julian", "Tobias", "Stefan", "Thomas", "Michael", "Andreas", "Markus",
    "Klaus", "Jürgen", "Uwe", "Dieter", "Frank", "Matthias", "Sebastian", "Florian",
    "Christian", "Daniel", "Alexander", "Benedikt", "Karl-Heinz", "Günter", "Björn",
)

FEMALE_FIRST_NAMES = (
    "Anna", "Marie", "Sophie", "Laura", "Lea", "Lena", "Hannah", "Julia", "Sarah",
    "Katharina", "Claudia", "Sabine", "Petra", "Monika", "Ursula", "Birgit", "Andrea",
    "Susanne", "Nicole", "Stefanie", "Melanie", "Jana", "Johanna", "Charlotte", "Greta",
    "Ingrid", "Renate", "Elke", "Heike", "Anke", "Käthe", "Lotte", "Mia",
)

LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
    "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
    "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
    "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
    "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
    "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
    "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
    "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt",
    "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn",
    "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold",
    "Wolff", "Pfeiffer", "Großmann", "Özdemir", "Yılmaz", "Nowak", "Kowalski",
)

STREETS = (
    "Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße",
    "Bergstraße", "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße",
    "Ringstraße", "Schillerstraße", "Goethestraße", "Wiesenweg", "Am Markt",
    "Mühlenweg", "Rosenstraße", "Friedrichstraße", "Königsallee", "Kortumstraße",
    "Hattinger Straße", "Wittener Straße", "Universitätsstraße", "Brückstraße",
    "Lessingstraße", "Mozartstraße", "Eichendorffweg", "Am Stadtpark", "Südring",
    "Castroper Straße", "Alleestraße", "Wasserstraße", "Herner Straße", "Ostring",
)

# (postcode, town): valid-looking combinations; 44789 Bochum is the manual's example.
TOWNS = (
    ("44789", "Bochum"), ("44787", "Bochum"), ("44791", "Bochum"), ("44801", "Bochum"),
    ("44135", "Dortmund"), ("44137", "Dortmund"), ("45127", "Essen"), ("45128", "Essen"),
    ("40210", "Düsseldorf"), ("40213", "Düsseldorf"), ("50667", "Köln"), ("50823", "Köln"),
    ("48143", "Münster"), ("58452", "Witten"), ("45525", "Hattingen"), ("44623", "Herne"),
    ("10115", "Berlin"), ("10437", "Berlin"), ("20095", "Hamburg"), ("22767", "Hamburg"),
    ("80331", "München"), ("81667", "München"), ("70173", "Stuttgart"),
    ("60311", "Frankfurt am Main"), ("04109", "Leipzig"), ("01067", "Dresden"),
    ("30159", "Hannover"), ("28195", "Bremen"), ("90402", "Nürnberg"), ("33602", "Bielefeld"),
    ("53111", "Bonn"), ("47051", "Duisburg"), ("42103", "Wuppertal"), ("24103", "Kiel"),
)

BROKER_FIRMS = (
    ("Maklerbüro Sonnenschein GmbH", "Kortumstraße 12", "44787", "Bochum"),
    ("Versicherungskontor Nord e.K.", "Große Elbstraße 40", "22767", "Hamburg"),
)
