# Notation (crates/grading) : mots de l'aspect, notes et raisons de la politique
# livrée (assets/policies/). Ces phrases sont enregistrées telles quelles : leurs
# espaces restent ordinaires.

## Niveaux d'aspect.
cosmetic-level-flawless = aucune marque
cosmetic-level-micro = des micro-rayures invisibles à 20 cm
cosmetic-level-light = de légères marques invisibles à 50 cm
cosmetic-level-visible = des rayures ou des bosses visibles
cosmetic-level-cracked = une fissure

## Zones : le nom dans une raison, avec son article (« sur l'écran et le dos »),
## et comme élément restant à inspecter.
zone-screen = l'écran
    .to-inspect = inspection de l'écran
zone-back = le dos
    .to-inspect = inspection du dos
zone-frame = le contour
    .to-inspect = inspection du contour
zone-lid = le capot
    .to-inspect = inspection du capot
zone-deck = le repose-poignets
    .to-inspect = inspection du repose-poignets
zone-keyboard = le clavier
    .to-inspect = inspection du clavier
zone-bottom = le dessous
    .to-inspect = inspection du dessous
zone-housing = le boîtier
    .to-inspect = inspection du boîtier
zone-stand = le pied
    .to-inspect = inspection du pied

## Les notes de vente.
listing-grade-premium = Premium
listing-grade-excellent = Excellent
listing-grade-very-good = Très bon état
listing-grade-good = Bon état
listing-grade-fair = État correct
listing-grade-stallone = Stallone

## La dernière raison de chaque note : son titre et ce qu'elle veut dire.
grade-reason = { $title } : { $sentence }
grade-partial = Cette note est partielle : tout n'a pas encore été vérifié ({ $missing }), elle ne couvre donc que ce qui est connu.

# La dernière raison d'une note partielle : la note qu'elle ne peut dépasser et ce
# qui reste à vérifier ($missing), au lieu de la phrase de la note.
grade-at-best = Au mieux { $grade }, une borne haute et pas encore une note : pas encore vérifié : { $missing }. Seul ce qui a été vérifié est affirmé.

## Ce que veut dire chaque note de la politique livrée.
grade-sentence-premium = aucune marque, des pièces d'origine et une batterie qui réussit son contrôle de santé.
grade-sentence-excellent = des micro-rayures au plus, invisibles à 20 cm, et aucune sur l'écran.
grade-sentence-very-good = des micro-rayures au plus, invisibles à 20 cm, y compris sur l'écran.
grade-sentence-good = de légères marques au plus, invisibles à 50 cm, et aucune rayure sur l'écran.
grade-sentence-fair = des rayures ou des bosses visibles sur la coque au plus, et de légères rayures sur l'écran au plus.
grade-sentence-stallone = de fortes traces d'usage : des rayures visibles sur l'écran, ou une fissure qui a été réparée. Chaque fonction a été vérifiée.

## Les raisons de la politique livrée, par règle.
reason-lock-blocked = L'appareil est verrouillé à un compte ou inscrit dans une gestion à distance (MDM) : il ne peut être ni évalué ni vendu tant que son propriétaire n'a pas retiré ce verrouillage.
reason-lock-unknown = L'état de verrouillage n'a pas pu être lu entièrement : un opérateur doit confirmer qu'aucun verrouillage de compte ou de gestion à distance n'est actif avant la vente.
reason-imei-invalid = L'IMEI lu sur l'appareil a une clé de contrôle fausse : un opérateur doit le relire (composer *#06#) avant la vente.
reason-checklist-incomplete = Tout n'a pas encore été vérifié ({ $unanswered }) : l'appareil est mis en attente jusqu'à ce que ce soit fait.
reason-battery-missing = Aucune batterie n'a été trouvée alors qu'un appareil de ce type ({ $category }) en a besoin : une batterie neuve sera posée avant la vente, l'appareil ne peut donc pas être Premium.
reason-battery-unknown = L'état de santé de la batterie n'a pas pu être lu : un opérateur doit le vérifier avant la vente.
reason-battery-below-threshold = L'état de santé de la batterie est de { $soh } %, sous les { $threshold } % qu'exige ce canal : la batterie sera remplacée avant la vente, l'appareil ne peut donc pas être Premium.
reason-battery-cycles-above-mark = La batterie a effectué { $cycles } cycles de charge, plus que les { $cycle_limit } prévus par son fabricant ; c'est son état de santé qui reste déterminant.
reason-liquid-damage = Les indicateurs d'oxydation ont viré : la corrosion rend la réparation de l'appareil non rentable.
reason-functional-failed = Ces contrôles ont échoué : { $failed }. Ces défauts seront réparés avant la vente.
reason-integrity-incomplete = Des éléments manquent ({ $failed }) : ils seront posés avant la vente.
reason-parts-not-genuine = Certaines pièces ne sont pas d'origine : l'appareil ne peut donc pas être Premium.
reason-accessories-charger-missing = Élément manquant : { $failed }. Un appareil de ce type ({ $category }) est vendu avec, un modèle compatible sera donc fourni avant la vente.
reason-cosmetic-not-flawless = Marques sur { $zones } ({ $level }) : Premium exige un appareil sans aucune marque.
reason-screen-micro = L'écran présente { $level } : Excellent exige un écran sans rayure.
reason-body-light = Marques sur { $zones } ({ $level }) : Excellent et Très bon état admettent au plus des micro-rayures.
reason-screen-and-body-worn = Marques sur { $zones }, dont des rayures sur l'écran : Bon état exige un écran sans rayure.
reason-screen-light = L'écran présente { $level } : Bon état exige un écran sans rayure.
reason-body-visible = Marques sur { $zones } ({ $level }) : Bon état admet au plus des marques invisibles à 50 cm.
reason-screen-visible = L'écran présente { $level } : État correct admet au plus de légères rayures sur l'écran.
reason-screen-cracked = L'écran est fissuré : il sera remplacé avant la vente, et l'appareil est vendu en Stallone.
reason-body-cracked = Fissure sur { $zones } : la pièce sera remplacée avant la vente, et l'appareil est vendu en Stallone.
reason-repairs-too-many = Il faudrait { $repairs } réparations distinctes : la réparation de l'appareil n'est pas rentable.
reason-carrier-locked = L'appareil ne fonctionne qu'avec son opérateur mobile d'origine ; c'est noté pour le prix et n'empêche pas la vente.
