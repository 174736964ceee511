# Les mots imprimés sur les documents de Refurbdesk. Ces textes sont imprimés tels
# quels sur des documents signés : leurs espaces restent celles d'origine.

cert-erasure-certificate-title = Certificat d'effacement des données
cert-destruction-certificate-title = Certificat de destruction de support
cert-device-report-title = Rapport d'audit de l'appareil
cert-erasure-certificate-statement = L'organisation ci-dessous certifie que le support décrit dans ce certificat a été effacé comme enregistré, conformément à la norme NIST SP 800-88 rév. 1, et que l'effacement a été vérifié. Ce certificat est signé électroniquement ; toute modification est détectable.
cert-destruction-certificate-statement = L'organisation ci-dessous certifie que le support décrit dans ce certificat a été physiquement détruit comme enregistré, en présence du témoin désigné, conformément à la norme NIST SP 800-88 rév. 1 (destruction). Ce certificat est signé électroniquement ; toute modification est détectable.

cert-doc-id = Identifiant du document
cert-doc-issued-at = Émis le
cert-doc-issued-by = par
cert-doc-page = Page { $n } sur { $m }
cert-doc-qr-caption = Scanner pour vérifier
cert-doc-qr-caption-offline = Identifiant et empreinte

cert-section-performed-by = Personne ayant réalisé l'opération
cert-section-media = Informations sur le support
cert-section-sanitization = Détails de l'effacement
cert-section-record = Enregistrement technique
cert-section-validation = Validation
cert-section-destruction = Détails de la destruction
cert-section-witness = Témoin
cert-section-evidence = Preuves (photos et vidéos)
cert-section-identity = Identité de l'appareil
cert-section-battery = Batterie
cert-section-lock = Verrouillages de compte et de gestion
cert-section-tests = Tests fonctionnels automatiques
cert-section-grade = Grade
cert-section-checklist = Liste de contrôle fonctionnelle
cert-section-cosmetic = Inspection esthétique
cert-section-erasures = Effacement des données
cert-section-sale = Conditions de vente

cert-person-name = Nom
cert-person-title = Fonction
cert-person-organisation = Organisation
cert-person-location = Lieu
cert-person-phone = Téléphone

cert-media-make = Marque / fabricant
cert-media-model = Modèle
cert-media-serial = Numéro de série
cert-media-imei = IMEI
cert-media-property-number = Numéro d'inventaire
cert-media-type = Type de support
cert-media-source = Provenance du support
cert-media-classification = Classification
cert-media-backed-up = Données sauvegardées
cert-media-size = Capacité
cert-media-target = Périphérique ou fichier image
cert-media-file-name = Nom du fichier
cert-media-file-size = Taille du fichier
cert-media-device = Appareil d'origine
cert-media-head-sha256 = SHA-256 du premier Mio
cert-media-head-sha256-when = lu avant l'effacement

cert-media-type-hdd = Disque dur (magnétique)
cert-media-type-ssd = Disque SSD (SATA/SAS)
cert-media-type-nvme = Disque SSD NVMe
cert-media-type-flash = Mémoire flash
cert-media-type-image-file = Fichier image disque
cert-media-type-drive = Disque
cert-media-type-phone = Mémoire flash interne de smartphone
cert-media-type-tablet = Mémoire flash interne de tablette
cert-media-type-laptop = Stockage interne d'ordinateur portable
cert-media-type-desktop = Stockage interne d'ordinateur fixe

cert-method-type-clear = Clear (effacement logique)
cert-method-type-purge = Purge (effacement renforcé)
cert-method-type-destroy = Destroy (destruction)

cert-san-method-type = Type de méthode
cert-san-method = Méthode utilisée
cert-san-details = Détails de la méthode
cert-san-passes = Passes
cert-san-tool = Outil utilisé (et version)
cert-san-verification = Méthode de vérification
cert-san-verification-result = Résultat de la vérification
cert-san-destination = Destination après effacement

cert-method-zero = Écrasement par des zéros
cert-method-random = Écrasement par un flux aléatoire à graine
cert-method-dod3 = Écrasement en trois passes (type DoD 5220.22-M)
cert-method-factory-reset = Réinitialisation d'usine par le banc de test
cert-method-crypto-erase = Effacement cryptographique par le banc de test
cert-method-manual-factory-reset = Réinitialisation d'usine manuelle guidée
cert-method-details-zero = Chaque octet adressable écrit à 0x00, puis relu.
cert-method-details-random = Chaque octet adressable écrit depuis un flux ChaCha20 dont la graine figure ci-dessous, pour que le motif puisse être régénéré et revérifié.
cert-method-details-dod3 = Passe 1 zéros, passe 2 uns (0xFF), passe 3 aléatoire à graine ; la dernière passe est relue.
cert-method-details-factory-reset = Le banc a déclenché la réinitialisation d'usine de l'appareil et en a confirmé l'achèvement.
cert-method-details-crypto-erase = Le banc a ordonné à l'appareil de détruire ses clés de chiffrement du stockage et en a confirmé l'achèvement.
cert-method-details-manual-factory-reset = Un opérateur a suivi pas à pas la procédure reconnue de réinitialisation d'usine et confirmé chaque étape.

cert-verification-full = Relecture complète de chaque octet
cert-verification-sample = Relecture d'un échantillon aléatoire, premier et dernier Mio inclus
cert-verification-bench = Achèvement signalé par le banc
cert-verification-operator-confirmation = Chaque étape confirmée par l'opérateur
cert-result-verified = Réussie : vérifié

cert-run-erasure-id = Enregistrement d'effacement
cert-run-started-at = Début
cert-run-finished-at = Fin
cert-run-duration = Durée
cert-run-passes-completed = Passes réalisées
cert-run-bytes-written = Octets écrits
cert-run-bytes-verified = Octets vérifiés
cert-run-throughput = Débit
cert-run-faults = Erreurs
cert-run-seed = Graine aléatoire
cert-run-detail = Détail (tel qu'enregistré)
cert-run-device-id = Fiche appareil
cert-run-replaces = Remplace le certificat
cert-run-replaces-value = { $id }, émis de nouveau pour la raison suivante : { $reason } ; le certificat remplacé reste valable

cert-fault-kind = Type
cert-fault-pass = Passe
cert-fault-offset = Position
cert-fault-length = Longueur
cert-fault-detail = Détail

cert-validation-date = Date

cert-destroy-shred = Broyage
cert-destroy-punch = Poinçonnage (plateaux ou puces perforés)
cert-destroy-degauss = Démagnétisation
cert-destroy-crush = Écrasement mécanique
cert-destroy-disintegrate = Désintégration
cert-destruction-date = Détruit le
cert-destruction-id = Enregistrement de destruction
cert-evidence-file = Fichier
cert-evidence-size = Taille (octets)
cert-evidence-none = Aucune photo ni vidéo n'a été enregistrée.

cert-device-category = Catégorie
cert-device-model-code = Référence du modèle
cert-device-storage = Stockage
cert-device-id = Fiche appareil
cert-device-first-seen = Première réception
cert-device-imei-invalid = chiffre de contrôle invalide
cert-category-phone = Téléphone
cert-category-tablet = Tablette
cert-category-laptop = Ordinateur portable
cert-category-desktop = Ordinateur fixe
cert-category-monitor = Écran

cert-battery-present = Batterie présente
cert-battery-design = Capacité nominale
cert-battery-full = Capacité à pleine charge
cert-battery-soh = État de santé
cert-battery-cycles = Cycles de charge
cert-battery-verdict = Verdict
cert-battery-verdict-pass = Conforme (vendable)
cert-battery-verdict-replace = À remplacer avant la vente
cert-battery-verdict-consumed = Usée
cert-battery-verdict-unknown = Inconnu
cert-battery-verdict-absent = Absente

cert-lock-activation = Verrouillage d'activation
cert-lock-account = Compte
cert-lock-mdm = Inscription MDM
cert-lock-carrier = Verrouillage opérateur
cert-lock-verdict = Verdict
cert-lock-verdict-clear = Libre
cert-lock-verdict-blocked = Bloqué
cert-lock-verdict-unknown = Inconnu : un opérateur doit confirmer
cert-activation-locked = Actif
cert-activation-unlocked = Désactivé
cert-activation-unknown = Non lu
cert-account-none = Déconnecté
cert-account-icloud = Compte iCloud
cert-account-google = Compte Google
cert-account-samsung = Compte Samsung
cert-account-xiaomi = Compte Xiaomi
cert-account-other = Autre compte
cert-account-unknown = Non lu
cert-mdm-enrolled = Inscrit
cert-mdm-none = Non inscrit
cert-mdm-unknown = Non lu
cert-carrier-locked = Verrouillé
cert-carrier-unlocked = Déverrouillé
cert-carrier-unknown = Non lu

cert-grade-outcome = Décision
cert-grade-listing = Grade de mise en vente
cert-grade-buyback = Grade de reprise
cert-grade-policy = Politique
cert-grade-policy-sha256 = SHA-256 de la politique
cert-grade-graded = Évalué
cert-grade-partial = Partiel (points manuels en attente)
cert-outcome-sellable = Vendable
cert-outcome-repair = À réparer
cert-outcome-hold = En attente : un opérateur doit confirmer
cert-outcome-recycle = À recycler
cert-outcome-blocked = Bloqué

cert-check-name = Contrôle
cert-check-outcome = Résultat
cert-test-pass = Réussi
cert-test-fail = Échec
cert-test-skip = Non testé
cert-test-na = Sans objet
cert-listing-premium = Premium
cert-listing-excellent = Excellent
cert-listing-very-good = Très bon état
cert-listing-good = Bon état
cert-listing-fair = État correct
cert-listing-stallone = Stallone
cert-buyback-functional-flawless = Fonctionnel, parfait état
cert-buyback-functional-good = Fonctionnel, bon état
cert-buyback-functional-used = Fonctionnel, usé
cert-buyback-functional-cracked = Fonctionnel, fissuré
cert-buyback-not-functional-used = Non fonctionnel, usé
cert-buyback-not-functional-cracked = Non fonctionnel, fissuré
cert-sale-warranty = Garantie
cert-sale-warranty-months = { $months } mois à compter de la vente
cert-sale-water-resistance = Étanchéité
cert-sale-not-guaranteed = Non garantie après reconditionnement
cert-level-flawless = Aucune marque
cert-level-micro = Micro-rayures
cert-level-light = Marques légères
cert-level-visible = Usure visible
cert-level-cracked = Fissuré

cert-status-verified = Vérifié
cert-status-failed = Échoué
cert-status-interrupted = Interrompu
cert-status-running = En cours

cert-report-read-at = Lu sur le banc
cert-report-reasons = Motifs
cert-report-status = Statut
cert-report-no-intake = L'appareil n'a pas été lu sur un banc.
cert-report-no-grade = L'appareil n'a pas encore été évalué.
cert-report-no-erasure = Aucun effacement n'est enregistré pour cet appareil.

cert-seal-heading = Signature électronique
cert-seal-signed-by = Signé par
cert-seal-algorithm = Algorithme
cert-seal-algorithm-value = Ed25519 sur le JSON canonique RFC 8785 (joint), et sur les octets de ce PDF
cert-seal-key-id = Identifiant de clé
cert-seal-fingerprint = Empreinte de la clé publique (SHA-256)
cert-seal-digest = Empreinte de la signature
cert-seal-how = Comment vérifier
cert-seal-how-value = refurbdesk cert verify <ce fichier> : vérifie les données signées jointes et chaque octet du fichier.

cert-role-technician = Technicien(ne)
cert-role-auditor = Auditeur·rice
cert-role-quality-manager = Responsable qualité
cert-role-admin = Administrateur·rice

cert-value-yes = Oui
cert-value-no = Non
cert-value-unknown = Inconnu
cert-value-not-specified = Non précisé
cert-value-not-reported = Non communiqué

## Unités de taille.
cert-unit-bytes = octets
cert-unit-kib = Kio
cert-unit-mib = Mio
cert-unit-gib = Gio
cert-unit-tib = Tio

## Les mots qui ne sont pas les nôtres (d'un banc, d'une personne), cités et jamais traduits.
cert-quoted = « { $words } »
cert-unit-gb = Go

cert-run-bench = Banc de test
cert-run-slot = Emplacement
cert-run-bench-said = Propres mots du banc
cert-run-manual = Réinitialisation manuelle guidée
cert-run-manual-value = { $platform } (liste { $version }) : { $steps } étapes confirmées
cert-platform-ios = iPhone et iPad
cert-platform-samsung = Samsung Galaxy
cert-platform-xiaomi = Xiaomi, Redmi et POCO
cert-platform-huawei = Huawei et Honor
cert-platform-android = Autres téléphones et tablettes Android

cert-fault-kind-write = Écriture
cert-fault-kind-read = Lecture
cert-fault-kind-flush = Vidage du cache
cert-fault-kind-mismatch = Relecture différente

cert-check-bench-said = Propres mots du banc
cert-check-note = Remarque (telle qu'enregistrée)
cert-check-photos = Photos

cert-destination-reuse-resale = Réemploi : reconditionné pour la revente
cert-destination-recycling = Recyclage
cert-destination-return = Restitué au client
cert-validation-signature = Signature de la personne qui valide

## Le rapport d'audit de lot (crates/certificate/src/batch.rs).
cert-batch-report-title = Rapport d'audit de lot de reprise
cert-batch-report-statement = L'organisation ci-dessous rend compte de l'audit du lot de reprise décrit ici : chaque appareil déclaré par le client a été comparé à ce qui a été reçu, et son devis révisé selon la politique indiquée, chaque ajustement avec son motif. Ce rapport est signé électroniquement ; toute modification est détectable.
cert-section-batch = Lot
cert-section-batch-totals = Totaux
cert-section-batch-devices = Appareils : déclarés et constatés (sommes en { $currency })
cert-section-batch-extras = Appareils reçus mais non déclarés
cert-section-batch-certificates = Certificats d'effacement
cert-batch-id = Identifiant du lot
cert-batch-customer = Client
cert-batch-manifest = Manifeste
cert-batch-quote-date = Date du devis
cert-batch-quote-expiry = Devis valable jusqu'au
cert-batch-audit-due = Audit attendu le
cert-batch-received = Réception
cert-batch-received-value = du { $first } au { $last }
cert-batch-policy = Politique de révision
cert-batch-policy-sha256 = SHA-256 de la politique
cert-batch-currency = Devise
cert-batch-declared = Déclarés
cert-batch-received-count = Reçus
cert-batch-missing = Manquants
cert-batch-extra = En surplus
cert-batch-audited = Audités
cert-batch-quoted-total = Total du devis
cert-batch-revised-total = Total révisé
cert-batch-difference = Écart
cert-batch-not-all-audited = { $count } appareils reçus ne sont pas encore audités : le total révisé ne les compte pas.
cert-batch-col-line = Ligne
cert-batch-col-declared = Déclaré
cert-batch-col-found = Constaté
cert-batch-col-quoted = Devis
cert-batch-col-revised = Révisé
cert-batch-col-reasons = Décision et motifs
cert-batch-col-code = Code scanné
cert-batch-col-device = Appareil
cert-batch-col-received-at = Reçu le
cert-batch-col-certificate = Certificat
cert-batch-extra-short = surplus
cert-batch-no-certificates = Aucun certificat d'effacement n'a été émis pour les appareils de ce lot.
cert-batch-storage = { $gb } Go
cert-batch-customer-ref = Réf.
cert-batch-serial = N° série
cert-batch-lock = Verrou :
cert-batch-no-accessories = Aucun accessoire
cert-batch-not-received = Non reçu
cert-batch-missing-reason = Déclaré mais jamais reçu : rien n'est payé.
cert-batch-received-only = Reçu, pas encore lu
cert-batch-not-graded = Non évalué
cert-batch-not-audited = Pas encore audité
cert-batch-requote = Le devis doit être refait.
cert-accessory-charger = chargeur
cert-accessory-cable = câble
cert-accessory-box = boîte
cert-accessory-stylus = stylet
cert-accessory-keyboard = clavier
cert-accessory-mouse = souris
