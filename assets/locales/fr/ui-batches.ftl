# L’écran des lots de reprise.
batches-list = Lots
batches-open = Ouvrir
batches-customer = Client
batches-stage-awaiting = En attente des appareils
batches-stage-receiving = Réception en cours
batches-stage-received = Tout est reçu
batches-stage-closed = Clos
batches-import-title = Importer un manifeste
batches-import-customer = Client (nom)
batches-import-quote-date = Date du devis
batches-import-file = Fichier du manifeste (CSV ou XLSX)
batches-import-drop = ou déposez le fichier ici
batches-importing = Import en cours…
batches-imported = { $lines ->
        [one] Un appareil importé.
       *[other] { $lines } appareils importés.
    }
batches-problems = Le manifeste n’a pas été importé : { $count ->
        [one] un problème
       *[other] { $count } problèmes
    }.
batches-receive-label = Scanner un IMEI ou un numéro de série
batches-receive-hint = Une douchette peut saisir n’importe où sur cet écran : son code arrive ici.
batches-receive-submit = Réceptionner
batches-scan-matched = { $code } : déclaré ligne { $line }.
batches-scan-extra = { $code } : absent du manifeste, enregistré comme appareil en plus.
batches-scan-again = { $code } a déjà été reçu.
batches-totals = Totaux
batches-declared = Déclarés
batches-received = Reçus
batches-missing = Manquants
batches-extra = En plus
batches-audited = Audités
batches-quoted = Total du devis
batches-revised = Total révisé
batches-revised-pending = pas encore révisé
batches-due = Audit attendu le
batches-due-estimated = { $date } (estimation)
batches-quote-expiry = Devis valable jusqu’au
batches-quote-expired = Le devis a expiré le { $date } : refaites le devis avant d’envoyer les résultats.
batches-requote = Refaire le devis aujourd’hui
batches-missing-title = Appareils manquants
batches-extra-title = Appareils en plus
batches-none = Aucun.
batches-line = ligne { $line }
batches-revised-so-far = pas définitif : { $amount } { $currency } pour l’instant ({ $count } encore à auditer)
batches-audit-title = Audit
batches-audit-progress = { $audited } appareils reçus audités sur { $received }
batches-state-missing = Non reçu
batches-state-received = À auditer
batches-state-audited = Audité
batches-disposition-accept = Accepté au prix du devis
batches-disposition-readjusted = Devis réajusté
batches-disposition-return = Renvoyé au client
batches-disposition-hold = Retenu jusqu’au déverrouillage
batches-requote-flag = à chiffrer de nouveau
batches-declared-as = Déclaré
batches-found-as = Constaté
batches-price = { $revised } sur { $quoted } { $currency }
batches-open-device = Ouvrir l’appareil
batches-not-at-intake = pas encore passé au banc
batches-box = Dans la boîte : { $accessories }
batches-box-empty = rien
batches-box-not-recorded = contenu de la boîte non saisi
batches-accessories-label = Dans la boîte (charger;cable…)
batches-close = Clore le lot
batches-close-reason = Motif, pour clore avec des appareils encore à auditer
batches-closed-on = Clos le { $date }.
batches-documents = Rapport et exports
batches-report = Émettre le rapport de lot signé
batches-export-format = Format d'export
batches-export = Exporter l'audit
batches-certificates = Certificats (ZIP)
batches-written = Écrit : { $path }
