# Ce que dit le constat d'un effacement enregistré, dit quand l'enregistrement est montré (crates/app/src/erase/finding.rs).
# L'enregistrement garde le code du constat et ses faits, jamais ces mots.

erase-finding-drive-interrupted = arrêté à la demande avant la fin ; rien n'est prouvé — effacez de nouveau le disque depuis le début
erase-finding-drive-failed = { $count } défaut(s) ; le premier ({ $fault }) : { $detail }
erase-finding-drive-failed-bare = échec
# La nature du premier défaut.
erase-fault-write = écriture
erase-fault-flush = vidage sur le support
erase-fault-read = relecture
erase-fault-mismatch = bloc différent à la relecture
# Une phrase envoyée par le banc, citée.
erase-quoted = « { $text } »
erase-finding-bench-failed = le banc a signalé l'échec de { $method } ; l'appareil ne peut pas être certifié — effacez-le de nouveau, ou réinitialisez-le à la main
erase-finding-bench-failed-said = le banc a signalé l'échec de { $method } : { $detail } ; l'appareil ne peut pas être certifié — effacez-le de nouveau, ou réinitialisez-le à la main
erase-finding-bench-failed-status = le banc a signalé l'échec de { $method } (par STATUS : son événement de fin a été perdu, et son détail avec lui) ; effacez de nouveau l'appareil, ou réinitialisez-le à la main
# $said est vide, ou le message du banc cité entre parenthèses ; $advice vaut unsupported, busy ou none.
erase-finding-bench-refused = le banc a refusé ERASE { $slot } { $method } avec { $code }{ $said } ; rien n'a été effacé{ $advice ->
        [unsupported] { " — " }le banc ne peut pas effacer cet appareil ainsi : utilisez l'autre méthode, ou réinitialisez-le à la main
        [busy] { " — " }l'emplacement était occupé ; réessayez quand il sera libre
       *[none] {""}
    }
erase-finding-bench-interrupted = { $why } ; rien n'est prouvé — effacez de nouveau l'appareil
erase-finding-manual-stopped = l'opérateur s'est arrêté à l'étape { $number } sur { $count } ({ $step }) ; rien n'est prouvé — refaites la réinitialisation
erase-finding-manual-step-failed = l'étape obligatoire { $number } sur { $count } ({ $step }) a reçu la réponse « { $answer } » : « { $text } » ; l'appareil ne peut pas être certifié — faites cette étape, puis refaites la réinitialisation
erase-interruption-device-removed = l'appareil a été retiré de l'emplacement avant que le banc n'en donne le résultat
erase-interruption-bench-reset = le banc a redémarré pendant l'effacement et l'a oublié
erase-interruption-bench-gone = le banc a disparu (son port s'est fermé) avant d'en donner le résultat
erase-interruption-bench-silent = le banc a cessé de répondre avant d'en donner le résultat
erase-interruption-forgotten = le banc ne connaît plus cet effacement (il a redémarré, ou l'appareil a été échangé, et cet événement a été perdu)
erase-interruption-no-outcome = le banc n'a donné aucun résultat à temps
erase-interruption-cancelled = l'opérateur a cessé d'attendre le banc (il est peut-être encore en train d'effacer)
erase-step-answer-yes = oui
erase-step-answer-no = non
erase-step-answer-skipped = passée
