## Messages de la couche application, dans la langue de la personne qui les lit (celle de la
## fenêtre, ou le --lang de la ligne de commande).

## La réponse d'un technicien contraire à un test du banc en échec.
grade-override = point de contrôle { $item } : le banc a dit échec, vous avez répondu { $answer } ; les deux sont conservés
grade-override-history = { $item } : échec au banc, répondu { $answer } par { $operator }
