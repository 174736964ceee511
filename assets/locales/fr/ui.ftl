# L’écran du poste (ui/src/i18n.ts). La typographie française met une espace
# insécable avant « : » et à l’intérieur des guillemets.

app-name = Refurbdesk
app-version-label = Version
station-title = Poste de test

nav-label = Écrans
nav-station = Poste
nav-batches = Lots
nav-quality = Qualité
nav-settings = Réglages
lang-label = Langue
lang-en = English
lang-fr = Français
error-dismiss = Fermer
login-title = Connexion
login-name = Opérateur
login-pin = Code PIN
login-repeat = Code PIN, à nouveau
login-submit = Se connecter
login-locked = Le poste s’est verrouillé après { $minutes } minutes sans activité.
login-invite-first-admin = Aucun opérateur n’a encore de code PIN : toute personne devant ce poste agit en administrateur.
login-create-first-admin = Créer le premier administrateur avec un code PIN
login-logout = Verrouiller
batches-title = Lots de reprise
batches-empty-title = Aucun lot de reprise pour l’instant.
batches-empty-hint = Les lots reçus des clients professionnels seront listés ici, avec l’avancement de leur audit.

bench-list-label = Bancs
bench-list-empty-title = Aucun banc connecté.
bench-list-empty-hint = Branchez un banc ou lancez le simulateur :
station-controls-start = Démarrer le poste
station-controls-start-simulated = Démarrer avec les bancs simulés
station-controls-stop = Arrêter le poste
station-controls-started-none = Poste démarré sans banc série : indiquez les ports des bancs dans Paramètres, Bancs.
station-controls-started-one = Poste démarré sur 1 banc.
station-controls-started = Poste démarré sur { $benches } bancs.
station-controls-already = Le poste est déjà en marche.
station-controls-stopped = Poste arrêté.

bench-unknown-model = Banc pas encore identifié
bench-serial = N° de série { $serial }
bench-port = Port { $port }
bench-state-connecting = Connexion…
bench-state-ready = Prêt
bench-state-disconnected = Déconnecté
bench-disconnected-note = Banc débranché ou éteint. Les mesures déjà enregistrées sont conservées.
bench-no-slots = Ce banc n’a pas encore indiqué ses emplacements.

slot-label = Emplacement { $slot }
slot-no-device = Aucun appareil
slot-soh = SOH { $soh } %
slot-grade = État
slot-state-empty = Vide
slot-state-occupied = Appareil posé
slot-state-identifying = Identification de l’appareil…
slot-state-intake = Test de l’appareil…
slot-state-recorded = Enregistré
slot-state-failed = Échec
slot-state-erasing = Effacement…
slot-state-unknown = État inconnu

verdict-battery-label = Batterie
verdict-battery-pass = Bonne
verdict-battery-replace = À remplacer
verdict-battery-consumed = Usée
verdict-battery-unknown = Inconnue
verdict-battery-absent = Pas de batterie
verdict-battery-pending = Pas encore lue

verdict-lock-label = Verrouillage
verdict-lock-clear = Libre
verdict-lock-blocked = Bloqué
verdict-lock-unknown = Inconnu
verdict-lock-pending = Pas encore lu
