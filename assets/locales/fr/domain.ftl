# Verdicts de réception (crates/domain) : batterie, verrouillages, catégories d'appareils.
# Ces phrases sont enregistrées et comparées telles quelles : leurs espaces restent ordinaires.

## Les catégories d'appareils dans une phrase ; le nom seul suit l'article.
device-category-phone = un téléphone
device-category-tablet = une tablette
device-category-laptop = un ordinateur portable
device-category-desktop = un ordinateur de bureau
device-category-monitor = un écran

## Constats sur la batterie.
battery-missing-failure = Aucune batterie n'a été trouvée. { $needing } en a besoin, c'est donc un défaut : poser une batterie avant la vente.
battery-missing-normal = Aucune batterie n'a été trouvée, ce qui est normal pour { $category } ; ce n'est pas un défaut.
battery-zero-design-capacity = La capacité nominale a été indiquée à 0 { $unit } : l'état de santé ne peut pas être calculé à partir des capacités en { $unit }.
battery-figures-disagree = Le banc a indiqué un état de santé de { $reported }, mais les capacités donnent { $computed } ({ $full } sur { $design } { $unit }), soit un écart de { $difference } points ; la valeur calculée est retenue.
battery-device-figure-only = L'état de santé de { $reported } est le chiffre de l'appareil lui-même : le banc n'a envoyé aucune capacité pour le vérifier.
battery-healthy = L'état de santé de la batterie est de { $health }, au moins les { $threshold } qu'exige ce canal de vente.
battery-below-threshold = L'état de santé de la batterie est de { $health }, sous les { $threshold } qu'exige ce canal de vente : remplacer la batterie avant la vente.
battery-worn-out = L'état de santé de la batterie est de { $health }, sous { $consumed } : la batterie est usée et doit être remplacée.
battery-no-health-figures = La batterie est présente, mais ni ses capacités ni un état de santé n'ont été indiqués ; un opérateur doit vérifier son état.
battery-cycles-above-mark = { $cycles } cycles de charge, c'est au-delà du repère de { $limit } cycles pour { $family }.
# Familles de batteries de assets/battery-cycle-limits.toml (`family = …`), qui complètent battery-cycles-above-mark.
battery-family-typical-lithium-ion = une batterie lithium-ion ordinaire
battery-family-iphone-15-and-later = les iPhone 15 et suivants
battery-family-iphone-14-and-older = les iPhone 14 et antérieurs
battery-family-ipad = les iPad
battery-family-macbook = les MacBook
battery-cycles-not-reported = Le nombre de cycles de charge n'a pas été indiqué.
battery-just-under = à peine moins de { $limit }

## Constats sur les verrouillages.
lock-activation-locked = Le verrouillage d'activation est actif (Localiser ou protection contre la réinitialisation) — l'appareil ne peut être ni estimé ni vendu tant que le client ne l'a pas désactivé.
lock-activation-unread = L'état du verrouillage d'activation n'a pas pu être lu — un opérateur doit confirmer qu'il est désactivé.
lock-signed-in = L'appareil est connecté à { $account } — il ne peut être ni estimé ni vendu tant que le client ne l'a pas retiré.
lock-account-unread = Impossible de lire si l'appareil est connecté à un compte — un opérateur doit confirmer qu'il en est déconnecté.
lock-mdm-enrolled = L'appareil est inscrit à une gestion à distance (MDM) — il ne peut être ni estimé ni vendu tant que l'organisation qui le gère ne l'a pas libéré.
lock-mdm-unread = L'inscription à une gestion à distance (MDM) n'a pas pu être lue — un opérateur doit confirmer que l'appareil n'est pas inscrit.
lock-none = Aucun verrouillage d'activation, compte connecté ni gestion à distance n'a été trouvé.
lock-carrier-locked = Le verrouillage opérateur est actif : l'appareil ne fonctionne qu'avec son réseau d'origine. C'est noté pour le prix et n'empêche pas la vente.
lock-carrier-unread = L'état du verrouillage opérateur n'a pas pu être lu ; c'est noté pour information et n'empêche pas la vente.

## Les comptes dans une phrase.
account-icloud = un compte iCloud
account-google = un compte Google
account-samsung = un compte Samsung
account-xiaomi = un compte Xiaomi
account-other = un compte

## Contrôles de l'IMEI.
imei-reread = relisez-le sur l'appareil (composez *#06#)
imei-empty = L'IMEI est vide ; un IMEI compte { $length } chiffres — { imei-reread }.
imei-not-digits = L'IMEI { $imei } contient d'autres caractères que des chiffres ; un IMEI compte { $length } chiffres — { imei-reread }.
imei-wrong-length = L'IMEI { $imei } compte { $digits } chiffres ; un IMEI en compte { $length } — { imei-reread }.
imei-check-digit = L'IMEI { $imei } a une clé de Luhn fausse ({ $expected } attendu) — { imei-reread } ; s'il est toujours faux, l'IMEI a peut-être été modifié.
imei-malformed = L'IMEI { $imei } ne compte pas { $length } chiffres — { imei-reread }.
