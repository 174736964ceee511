## Étiquettes de stock (crates/label) : les mots imprimés sur l'étiquette d'un appareil.

# Le stockage de l'appareil, après sa marque et son modèle.
label-storage = { $gb } Go
# Les notes se lisent seules en français (« Très bon état »).
label-grade = { $grade }
# Une note qui ne couvre qu'une partie de la liste de contrôle.
label-grade-partial = { $grade } (partielle)
label-not-graded = Non évalué
# $soh est déjà un pourcentage (« 86 % »).
label-battery = Batterie { $soh }
label-imei = IMEI { $imei }
label-serial = N/S { $serial }
# Un appareil que la note ne laisse pas vendre en l'état montre sa décision au lieu d'une note.
label-outcome-repair = À réparer
label-outcome-hold = En attente
label-outcome-recycle = À recycler
label-outcome-blocked = Bloqué
