# La section synchronisation marketplace de l’écran Réglages (ui/src/keys/sync.ts liste ses clés).

sync-title = Synchronisation avec la marketplace
sync-not-configured = Aucune marketplace n’est configurée : rien n’est envoyé.
sync-configured = Envoi vers { $url }
sync-counts = { $pending } en attente, { $inflight } en cours d’envoi, { $failed } en échec, { $sent } envoyés
sync-empty = Rien n’attend d’être envoyé.
sync-refresh = Actualiser
sync-state = État
sync-change = Modification
sync-attempts = Tentatives
sync-message = Message de la marketplace
sync-state-pending = En attente
sync-state-in-flight = En cours d’envoi
sync-state-failed = En échec
sync-kind-listing-quantity = Quantité d’une annonce
sync-kind-orderline-identity = IMEI de l’appareil expédié
sync-kind-buyback-decision = Verdict de reprise
sync-kind-other = Autre modification
sync-retry = Réessayer
sync-cancel = Annuler
