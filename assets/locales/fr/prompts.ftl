# Ce que le terminal et la fenêtre demandent pendant la notation (--ask) et une réinitialisation guidée.
# Une espace finale est gardée par { " " }, car Fluent coupe la fin de ligne.

grade-ask-item-prompt = [o]ui (réussi) / [n]on (échec) / so (sans objet) / [q]uitter :{ " " }
grade-ask-item-again = Répondez o (fonctionne), n (ne fonctionne pas), so (l'appareil n'en a pas) ou q (arrêter sans rien enregistrer).
grade-ask-na-refused = Ce contrôle vaut pour tout appareil de ce type : répondez o ou n.
grade-ask-zone-prompt = aucune (0), micro (1), légère (2), visible (3), fissuré (4) / [q]uitter :{ " " }
grade-ask-zone-again = Répondez aucune, micro (invisible à 20 cm), légère (invisible à 50 cm), visible ou fissuré ; ou de 0 à 4.
erase-manual-intro = Réinitialisation manuelle
erase-manual-required = obligatoire
erase-manual-optional = facultative
erase-manual-question = Fait ? [o]ui / [n]on / [p]asser / [q]uitter :{ " " }
erase-manual-again = Répondez o (fait), n (impossible), p (passée) ou q (arrêter ici).
