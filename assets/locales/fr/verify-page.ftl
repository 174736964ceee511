## The verification page a certificate's QR code opens (crates/verify-page, `refurbdesk site serve`).

verify-page-language-name = Français
verify-page-title = Vérification de certificat
verify-page-unknown-title = Document introuvable
verify-page-unknown = Aucun document ne correspond à cet identifiant et à cette empreinte. Vérifiez le lien, ou scannez à nouveau le QR code du document.
verify-page-unavailable = Le service de vérification ne peut pas répondre pour le moment. Réessayez dans quelques minutes.
verify-page-valid = Valide : ce document a été émis et signé par l’organisation nommée ci-dessous, et il n’a pas été annulé.
verify-page-voided = Annulé le { $at } par { $by } : { $reason }. Ne vous fiez pas à ce document.
verify-page-voided-at = Annulé le
verify-page-voided-by = Annulé par
verify-page-void-reason = Motif
verify-page-invalid = L’enregistrement de ce document ne se vérifie pas avec les clés publiées par l’organisation. Ne vous y fiez pas et contactez l’émetteur.
verify-page-replaced = Un nouveau document a été émis pour remplacer celui-ci : { $id }.
verify-page-check-heading = Vérifier votre exemplaire
verify-page-check-help = Déposez le PDF ici, ou choisissez-le. Il est vérifié dans ce navigateur : le fichier n’est envoyé nulle part.
verify-page-checking = Vérification…
verify-page-match = Ce fichier est bien ce document, intact : son scellé et sa signature se vérifient.
verify-page-match-voided = Ce fichier est bien ce document et il est intact, mais le document a été annulé.
verify-page-other = Ce fichier se vérifie, mais c’est un autre document ({ $id }), pas celui de cette page.
verify-page-invalid-file = Ce fichier ne se vérifie pas : il a été modifié après son émission, ou il n’a pas été émis par cette organisation. Ne vous y fiez pas.
verify-page-error = Le fichier n’a pas pu être vérifié.
verify-page-signed-fields = Ce que dit le document
