## Lecture des téléphones Android par ADB (débogage USB), au travers du serveur adb.
adb-unauthorized = le téléphone { $serial } n'a pas encore accepté cet ordinateur : acceptez l'invite de débogage USB sur le téléphone (cochez « Toujours autoriser sur cet ordinateur »), puis recommencez ; rien n'a été enregistré
adb-missing = aucun téléphone { $serial } n'est relié au serveur adb sur { $address } ; branchez-le, débogage USB activé, puis recommencez
adb-unplugged = le téléphone { $serial } a disparu pendant la lecture ; rien n'a été enregistré — rebranchez-le et recommencez
adb-not-ready = le téléphone { $serial } ne s'est pas mis en ligne (le serveur adb indique { $state }) ; déverrouillez-le, vérifiez son câble, puis recommencez
adb-no-server = aucun serveur adb ne répond sur { $address } ; démarrez-en un avec « adb start-server », ou indiquez le bon dans REFURBDESK_ADB_SERVER (hôte:port)
adb-server-failed = le serveur adb sur { $address } a échoué : { $reason }
adb-bad-server = « { $value } » ne désigne aucun serveur adb ; donnez hôte:port, par exemple 127.0.0.1:5037

## Lecture directe des téléphones Android, sans serveur adb (la clé ADB du poste).
adb-no-key-place = il n'y a pas de répertoire personnel où garder la clé ADB du poste ; nommez le fichier de clé avec --adb-key FICHIER (ou définissez ANDROID_USER_HOME)
adb-key-failed = la clé ADB du poste { $path } est inutilisable : { $reason }
adb-bad-usb = « { $value } » ne désigne aucun périphérique USB ; donnez usb:BUS-ADRESSE comme lsusb les affiche, par exemple usb:1-4
adb-direct-missing = aucun téléphone en débogage USB avec le numéro de série { $serial } n'est sur les bus USB, et aucun serveur adb ne tourne ; branchez-le avec le débogage USB activé (ou donnez son adresse HÔTE:PORT pour le débogage sans fil), puis recommencez
adb-direct-unreachable = le téléphone { $device } est injoignable : { $reason } ; rien n'a été enregistré
adb-direct-failed = le téléphone n'a pas pu être lu directement : { $reason } ; rien n'a été enregistré
adb-bad-prompt-wait = l'attente de l'invite du téléphone doit être comprise entre 1 000 et 600 000 ms, pas { $value }

## La liste des appareils USB (appareils en direct).
usb-permission = { $count } appareils USB n'ont pas pu être ouverts : cet utilisateur n'a pas de droits sur /dev/bus/usb. Installez la règle udev { $rule } : sudo cp { $rule } /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger, puis débranchez et rebranchez les appareils (docs/direct-usb.md)
usb-unavailable = les bus USB ne peuvent pas être listés sur cette machine ({ $reason }) ; sans /dev/bus/usb (comme dans un conteneur), aucun appareil n'est vu

## Appareils USB en direct dans les emplacements du poste (la note de l'emplacement à l'opérateur).
usb-slot-unauthorized = acceptez l'invite de débogage USB sur le téléphone (cochez « Toujours autoriser sur cet ordinateur ») ; il est lu dès qu'elle est acceptée
usb-slot-waiting = le serveur adb indique { $state } ; en attente du téléphone (déverrouillez-le, vérifiez son câble)
usb-slot-no-debugging = un téléphone { $vendor } sans débogage USB : activez le débogage USB (Paramètres, Options pour les développeurs) pour le lire
usb-slot-apple = un appareil Apple : installez libimobiledevice-utils (et usbmuxd) pour que le poste le lise dans son emplacement
usb-slot-permission = cet appareil ne peut pas être ouvert : pas de droits sur /dev/bus/usb ; installez la règle udev { $rule }, puis rebranchez-le
usb-slot-gave-up = n'a pas pu être lu après { $attempts } essais : { $reason } ; débranchez-le et rebranchez-le pour réessayer

## Les fichiers de réception de l'agent des ordinateurs portables.
agent-no-file = il n'y a pas de fichier de réception { $file } ; écrivez-le sur l'ordinateur portable avec l'agent, puis copiez-le ici
agent-bad-file = ce fichier de réception ne peut pas être enregistré : { $reason }
agent-no-identity = l'ordinateur portable de { $file } n'a donné ni sa marque ni son modèle (DMI illisible) ; rien n'a été enregistré
agent-already-recorded = { $file } est déjà enregistré, comme réception { $intake } : un fichier de l'agent n'est enregistré qu'une fois ; relancez l'agent sur l'ordinateur portable pour une nouvelle lecture

## Les iPhone et iPad, par les outils de libimobiledevice.
ios-no-tools = { $tool } n'est pas installé : installez le paquet { $package } (apt-get install { $package }), branchez l'appareil, déverrouillez-le et faites confiance à cet ordinateur, puis recommencez
ios-tool-failed = { $tool } n'a pas pu lire l'appareil : { $reason } ; vérifiez qu'il est branché, déverrouillé et qu'il fait confiance à cet ordinateur ; rien n'a été enregistré
ios-unreadable = la réponse de l'appareil { $udid } est illisible ({ $reason }) ; rien n'a été enregistré
