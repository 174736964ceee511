# Audit des reprises (crates/revision) : chaque ajustement d'un devis révisé, dit à partir de sa
# règle et de ce qu'elle a comparé. $amount est ce qui est retiré, $basis le montant unitaire de
# la politique (déjà écrits en somme d'argent ou en pourcentage), $declared et $found ce que la
# règle a comparé.

# Une somme : $amount porte déjà la virgule décimale, $currency est un code ISO 4217 (« EUR »).
revision-money = { $amount }{"\u00A0"}{ $currency }

revision-model-requote = Déclaré { $declared }, trouvé { $found } : l'appareil doit être à nouveau chiffré
revision-model = Déclaré { $declared }, trouvé { $found } : −{ $amount }
revision-storage-requote = Déclaré { $declared } Go, trouvé { $found } Go : l'appareil doit être à nouveau chiffré
revision-storage = Déclaré { $declared } Go, trouvé { $found } Go : −{ $amount }
revision-grade-step = Déclaré { $declared }, trouvé { $found } : { $steps ->
        [one] un cran de grade
       *[other] { $steps } crans de grade
    } à { $basis } chacun : −{ $amount }
# $category est le type d'appareil avec son article : « un ordinateur portable ».
revision-accessory-mandatory = Il manque { $accessory }, obligatoire pour { $category } : −{ $amount }
revision-accessory-optional = Déclaré mais absent : { $accessory } : −{ $amount }
revision-battery-replace = Batterie à remplacer : −{ $amount }
revision-battery-consumed = Batterie usée : −{ $amount }
# $item est le libellé de l'élément de la liste de contrôle (« écran tactile »).
revision-function-failed = Contrôle échoué : { $item } : −{ $amount }
revision-lock-blocked-return = Verrouillé : renvoyé au client, rien n'est payé pour un appareil verrouillé : −{ $amount }
revision-lock-blocked-hold = Verrouillé : conservé jusqu'à ce que le client retire le verrou, rien n'est payé tant qu'il est verrouillé : −{ $amount }
revision-lock-unknown-return = Le verrou n'a pas pu être lu : renvoyé au client : −{ $amount }
revision-lock-unknown-hold = Le verrou n'a pas pu être lu : conservé jusqu'à ce qu'il le soit, rien n'est payé d'ici là : −{ $amount }
# Une règle arrêtée par le prix plancher : $sentence est l'ajustement dit, $asked ce que la règle demandait.
revision-floor-reached = { $sentence } (la règle demandait { $asked } ; le prix plancher l'arrête là)

## Les accessoires dans une phrase, avec leur article.
revision-accessory-charger = le chargeur
revision-accessory-cable = le câble
revision-accessory-box = la boîte
revision-accessory-stylus = le stylet
revision-accessory-keyboard = le clavier
revision-accessory-mouse = la souris

## Ce que deviennent l'appareil et son devis.
revision-disposition-accept = Accepté au prix du devis
revision-disposition-readjusted = Devis réajusté
revision-disposition-return = Renvoyé au client
revision-disposition-hold = Conservé jusqu'au déverrouillage
revision-requote = À chiffrer à nouveau
