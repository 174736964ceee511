# Les mots que toutes les pièces partagent : comment se lisent nombres et listes.

# Le séparateur décimal.
number-decimal-separator = ,
# Un pourcentage ; le signe est séparé par une espace fine insécable (U+202F).
number-percent = { $value } %
# Entre les groupes de trois chiffres : une espace fine insécable (U+202F).
number-group-separator = {"\u202F"}
list-separator = {", "}
list-last-separator = {" et "}
figure-unknown = inconnu
