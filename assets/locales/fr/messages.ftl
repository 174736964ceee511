## Messages de la couche application, dans la langue de la personne qui les lit (celle de la
## fenêtre, ou le --lang de la ligne de commande).

## La réponse d'un technicien contraire à un test du banc en échec.
grade-override = point de contrôle { $item } : le banc a dit échec, vous avez répondu { $answer } ; les deux sont conservés
grade-override-history = { $item } : échec au banc, répondu { $answer } par { $operator }

## Erreurs que l'écran de connexion peut montrer.
error-login-no-operator = aucun opérateur ne s'appelle { $name }
error-login-disabled = l'opérateur { $name } est désactivé ; demandez à un administrateur de le réactiver
error-login-locked = l'opérateur { $name } est bloqué pendant { $minutes } minutes après { $count } codes PIN erronés d'affilée, jusqu'à { $until } UTC ; réessayez à ce moment-là, ou demandez à un administrateur de définir un nouveau code PIN
error-login-wrong-pin-locked = code PIN erroné pour { $name } ; cela fait { $count } codes erronés d'affilée, l'opérateur est donc bloqué pendant { $minutes } minutes, jusqu'à { $until } UTC
error-login-wrong-pin = code PIN erroné pour { $name } ({ $count } sur { $max } erronés d'affilée ; à { $max }, l'opérateur est bloqué pendant { $minutes } minutes)

## Erreurs que l'écran d'un appareil peut montrer.
error-device-not-found = aucun appareil ne correspond à { $reference } ; donnez un IMEI, un numéro de série, un identifiant d'entrée ou d'appareil
error-device-no-intake = l'appareil { $device } ({ $model }) n'a aucune entrée à évaluer
error-grade-incomplete = évaluation impossible pour l'instant : { $missing }
error-grade-items-missing = points de contrôle sans réponse : { $items }
error-grade-zones-missing = zones non inspectées : { $zones }
error-grade-photo-without-level = une photo de la zone { $zone } a été donnée, mais la zone n'a pas de niveau
