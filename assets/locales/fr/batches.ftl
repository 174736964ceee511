## Lots de reprise (crates/app/src/batches.rs) : un manifeste refusé, ligne par ligne.

batch-import-rejected = { $count ->
    [one] le manifeste { $file } n'a pas été importé : 1 problème, rien n'a été importé
   *[other] le manifeste { $file } n'a pas été importé : { $count } problèmes, rien n'a été importé
}
batch-import-unreadable = le manifeste { $file } n'a pas été importé : { $what }
batch-problem-at-column = ligne { $line }, colonne { $column } : { $what }
batch-problem-at-line = ligne { $line } : { $what }

batch-problem-missing-identifier = ni IMEI ni numéro de série
batch-problem-imei-not-digits = l'IMEI « { $value } » contient autre chose que des chiffres
batch-problem-imei-scientific = l'IMEI « { $value } » a été changé en nombre par un tableur et a perdu ses derniers chiffres (mettez la colonne au format texte)
batch-problem-imei-length = l'IMEI « { $value } » a { $digits } chiffres au lieu de 15
batch-problem-imei-check-digit = l'IMEI { $value } a une clé de contrôle fausse (le dernier chiffre devrait être { $expected })
batch-problem-duplicate-imei = l'IMEI { $value } figure déjà ligne { $first_line }
batch-problem-duplicate-serial = le numéro de série { $value } figure déjà ligne { $first_line }
batch-problem-duplicate-in-open-batch = { $value } est déjà déclaré dans le lot ouvert { $batch }
batch-problem-unknown-category = « { $value } » n'est pas une catégorie d'appareil ; valeurs possibles : { $expected }
batch-problem-unknown-grade = « { $value } » n'est pas un grade déclaré ; valeurs possibles : { $expected }
batch-problem-unknown-accessory = « { $value } » n'est pas un accessoire ; valeurs possibles : { $expected }
batch-problem-bad-storage = « { $value } » n'est pas un nombre entier de gigaoctets
batch-problem-bad-price = « { $value } » n'est pas un prix
batch-problem-ambiguous-price = « { $value } » peut se lire en milliers ou en décimales ; écrivez 1234 ou 1234,00
batch-problem-negative-price = le prix « { $value } » est négatif
batch-problem-unknown-currency = « { $value } » n'est pas un code de devise ISO 4217
batch-problem-mixed-currency = la devise { $value } diffère de { $expected } de la ligne { $first_line } ; un manifeste a une seule devise
batch-problem-too-many-fields = { $found } champs alors que l'en-tête a { $expected } colonnes

batch-file-empty = le fichier est vide
batch-file-no-lines = le fichier a un en-tête mais aucune ligne d'appareil
batch-file-no-identifier-column = l'en-tête n'a ni colonne imei ni colonne serial (il a : { $columns })
batch-file-duplicate-column = l'en-tête nomme deux fois la colonne { $name }
batch-file-unreadable-xlsx = ce n'est pas un classeur XLSX lisible ({ $detail })
batch-file-no-sheet = le classeur n'a aucune feuille
batch-file-unreadable-csv = ce n'est pas un fichier CSV lisible ({ $detail })
