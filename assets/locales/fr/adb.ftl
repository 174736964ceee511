## Lecture des téléphones Android par ADB (débogage USB), au travers du serveur adb.
adb-unauthorized = le téléphone { $serial } n'a pas encore accepté cet ordinateur : acceptez l'invite de débogage USB sur le téléphone (cochez « Toujours autoriser sur cet ordinateur »), puis recommencez ; rien n'a été enregistré
adb-missing = aucun téléphone { $serial } n'est relié au serveur adb sur { $address } ; branchez-le, débogage USB activé, puis recommencez
adb-unplugged = le téléphone { $serial } a disparu pendant la lecture ; rien n'a été enregistré — rebranchez-le et recommencez
adb-not-ready = le téléphone { $serial } ne s'est pas mis en ligne (le serveur adb indique { $state }) ; déverrouillez-le, vérifiez son câble, puis recommencez
adb-no-server = aucun serveur adb ne répond sur { $address } ; démarrez-en un avec « adb start-server », ou indiquez le bon dans REFURBDESK_ADB_SERVER (hôte:port)
adb-server-failed = le serveur adb sur { $address } a échoué : { $reason }
adb-bad-server = « { $value } » ne désigne aucun serveur adb ; donnez hôte:port, par exemple 127.0.0.1:5037

## La liste des appareils USB (appareils en direct).
usb-permission = { $count } appareils USB n'ont pas pu être ouverts : cet utilisateur n'a pas de droits sur /dev/bus/usb. Installez la règle udev { $rule } : sudo cp { $rule } /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger, puis débranchez et rebranchez les appareils (docs/direct-usb.md)
usb-unavailable = les bus USB ne peuvent pas être listés sur cette machine ({ $reason }) ; sans /dev/bus/usb (comme dans un conteneur), aucun appareil n'est vu
