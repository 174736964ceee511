# Every word printed on Refurbdesk documents (crates/certificate/src/render.rs).
# Ids: cert-<key with dashes>, e.g. Texts::t("doc.issued_at") tells cert-doc-issued-at; a
# code with no message (method.future_method) prints as itself.

cert-erasure-certificate-title = Certificate of Data Sanitization
cert-destruction-certificate-title = Certificate of Media Destruction
cert-device-report-title = Device Audit Report
cert-erasure-certificate-statement = The organisation below certifies that the media described in this certificate was sanitized as recorded, in line with NIST SP 800-88 Rev. 1, and that the sanitization was verified. This certificate is digitally signed; any change to it is detectable.
cert-destruction-certificate-statement = The organisation below certifies that the media described in this certificate was physically destroyed as recorded, in the presence of the witness named, in line with NIST SP 800-88 Rev. 1 (Destroy). This certificate is digitally signed; any change to it is detectable.

cert-doc-id = Document ID
cert-doc-issued-at = Issued
cert-doc-issued-by = by
cert-doc-page = Page { $n } of { $m }
cert-doc-qr-caption = Scan to verify
cert-doc-qr-caption-offline = Document id and digest

cert-section-performed-by = Person performing sanitization
cert-section-media = Media information
cert-section-sanitization = Sanitization details
cert-section-record = Technical record
cert-section-validation = Validation
cert-section-destruction = Destruction details
cert-section-witness = Witness
cert-section-evidence = Evidence (photos and videos)
cert-section-identity = Device identity
cert-section-battery = Battery
cert-section-lock = Account and management locks
cert-section-tests = Automatic functional tests
cert-section-grade = Grade
cert-section-checklist = Functional checklist
cert-section-cosmetic = Cosmetic inspection
cert-section-erasures = Data erasure
cert-section-sale = Conditions of sale

cert-person-name = Name
cert-person-title = Title
cert-person-organisation = Organisation
cert-person-location = Location
cert-person-phone = Phone

cert-media-make = Make / vendor
cert-media-model = Model
cert-media-serial = Serial number
cert-media-imei = IMEI
cert-media-property-number = Property number
cert-media-type = Media type
cert-media-source = Media source
cert-media-classification = Classification
cert-media-backed-up = Data backed up
cert-media-size = Capacity
cert-media-target = Device path or image file
cert-media-file-name = File name
cert-media-file-size = File size
cert-media-device = Belongs to device
cert-media-head-sha256 = SHA-256 of first MiB
cert-media-head-sha256-when = read before the erasure

cert-media-type-hdd = Hard disk drive (magnetic)
cert-media-type-ssd = Solid-state drive (SATA/SAS)
cert-media-type-nvme = NVMe solid-state drive
cert-media-type-flash = Flash memory
cert-media-type-image-file = Disk image file
cert-media-type-drive = Drive
cert-media-type-phone = Smartphone internal flash memory
cert-media-type-tablet = Tablet internal flash memory
cert-media-type-laptop = Laptop internal storage
cert-media-type-desktop = Desktop internal storage

cert-method-type-clear = Clear
cert-method-type-purge = Purge
cert-method-type-destroy = Destroy

cert-san-method-type = Method type
cert-san-method = Method used
cert-san-details = Method details
cert-san-passes = Passes
cert-san-tool = Tool used (and version)
cert-san-verification = Verification method
cert-san-verification-result = Verification result
cert-san-destination = Post-sanitization destination

cert-method-zero = Overwrite with zeros
cert-method-random = Overwrite with a seeded random stream
cert-method-dod3 = Three-pass overwrite (DoD 5220.22-M style)
cert-method-factory-reset = Factory reset through the test bench
cert-method-crypto-erase = Cryptographic erase through the test bench
cert-method-manual-factory-reset = Guided manual factory reset
cert-method-details-zero = Every addressable byte written with 0x00, then read back.
cert-method-details-random = Every addressable byte written from a ChaCha20 stream whose seed is recorded below, so the pattern can be regenerated and re-checked.
cert-method-details-dod3 = Pass 1 zeros, pass 2 ones (0xFF), pass 3 seeded random; the last pass is read back.
cert-method-details-factory-reset = The bench ordered the device's own factory reset and reported its completion.
cert-method-details-crypto-erase = The bench ordered the device to destroy its storage encryption keys and reported completion.
cert-method-details-manual-factory-reset = An operator followed the recognised factory-reset procedure step by step and confirmed each step.

cert-verification-full = Full read-back of every byte
cert-verification-sample = Read-back of a random sample, including the first and last MiB
cert-verification-bench = Completion reported by the bench
cert-verification-operator-confirmation = Each step confirmed by the operator
cert-result-verified = Passed: verified

cert-run-erasure-id = Erasure record
cert-run-started-at = Started
cert-run-finished-at = Finished
cert-run-duration = Duration
cert-run-passes-completed = Passes completed
cert-run-bytes-written = Bytes written
cert-run-bytes-verified = Bytes verified
cert-run-throughput = Throughput
cert-run-faults = Errors
cert-run-seed = Random seed
cert-run-detail = Detail (as recorded)
cert-run-device-id = Device record
cert-run-replaces = Replaces certificate
cert-run-replaces-value = { $id }, issued again because: { $reason }; the certificate replaced stays valid

cert-fault-kind = Kind
cert-fault-pass = Pass
cert-fault-offset = Offset
cert-fault-length = Length
cert-fault-detail = Detail

cert-validation-date = Date

cert-destroy-shred = Shredding
cert-destroy-punch = Punching (drilled through the platters or chips)
cert-destroy-degauss = Degaussing
cert-destroy-crush = Crushing
cert-destroy-disintegrate = Disintegration
cert-destruction-date = Destroyed on
cert-destruction-id = Destruction record
cert-evidence-file = File
cert-evidence-size = Size (bytes)
cert-evidence-none = No photo or video was recorded.

cert-device-category = Category
cert-device-model-code = Model code
cert-device-storage = Storage
cert-device-id = Device record
cert-device-first-seen = First seen
cert-device-imei-invalid = fails its check digit
cert-category-phone = Phone
cert-category-tablet = Tablet
cert-category-laptop = Laptop
cert-category-desktop = Desktop
cert-category-monitor = Monitor

cert-battery-present = Battery present
cert-battery-design = Design capacity
cert-battery-full = Full charge capacity
cert-battery-soh = State of health
cert-battery-cycles = Charge cycles
cert-battery-verdict = Verdict
cert-battery-verdict-pass = Pass (sellable)
cert-battery-verdict-replace = Replace before sale
cert-battery-verdict-consumed = Consumed
cert-battery-verdict-unknown = Unknown
cert-battery-verdict-absent = Absent

cert-lock-activation = Activation lock
cert-lock-account = Account
cert-lock-mdm = MDM enrolment
cert-lock-carrier = Carrier lock
cert-lock-verdict = Verdict
cert-lock-verdict-clear = Clear
cert-lock-verdict-blocked = Blocked
cert-lock-verdict-unknown = Unknown: an operator must confirm
cert-activation-locked = On
cert-activation-unlocked = Off
cert-activation-unknown = Not read
cert-account-none = Signed out
cert-account-icloud = iCloud account
cert-account-google = Google account
cert-account-samsung = Samsung account
cert-account-xiaomi = Xiaomi account
cert-account-other = Another account
cert-account-unknown = Not read
cert-mdm-enrolled = Enrolled
cert-mdm-none = Not enrolled
cert-mdm-unknown = Not read
cert-carrier-locked = Locked
cert-carrier-unlocked = Unlocked
cert-carrier-unknown = Not read

cert-grade-outcome = Outcome
cert-grade-listing = Listing grade
cert-grade-buyback = Buyback grade
cert-grade-policy = Policy
cert-grade-policy-sha256 = Policy SHA-256
cert-grade-graded = Graded
cert-grade-partial = Partial (manual items pending)
cert-outcome-sellable = Sellable
cert-outcome-repair = Repair first
cert-outcome-hold = On hold: an operator must confirm
cert-outcome-recycle = Recycle
cert-outcome-blocked = Blocked

cert-check-name = Check
cert-check-outcome = Result
cert-test-pass = Pass
cert-test-fail = Fail
cert-test-skip = Skipped
cert-test-na = Not applicable
cert-listing-premium = Premium
cert-listing-excellent = Excellent
cert-listing-very-good = Very good
cert-listing-good = Good
cert-listing-fair = Fair
cert-listing-stallone = Stallone
cert-buyback-functional-flawless = Functional, flawless
cert-buyback-functional-good = Functional, good
cert-buyback-functional-used = Functional, used
cert-buyback-functional-cracked = Functional, cracked
cert-buyback-not-functional-used = Not functional, used
cert-buyback-not-functional-cracked = Not functional, cracked
cert-sale-warranty = Warranty
cert-sale-warranty-months = { $months } months from the sale
cert-sale-water-resistance = Water resistance
cert-sale-not-guaranteed = Not guaranteed after refurbishment
cert-level-flawless = Flawless
cert-level-micro = Micro-scratches
cert-level-light = Light marks
cert-level-visible = Visible wear
cert-level-cracked = Cracked

cert-status-verified = Verified
cert-status-failed = Failed
cert-status-interrupted = Interrupted
cert-status-running = Running

cert-report-read-at = Read on the bench
cert-report-reasons = Reasons
cert-report-status = Status
cert-report-no-intake = The device was not read on a bench.
cert-report-no-grade = The device has not been graded.
cert-report-no-erasure = No erasure is recorded for this device.

cert-seal-heading = Digital signature
cert-seal-signed-by = Signed by
cert-seal-algorithm = Algorithm
cert-seal-algorithm-value = Ed25519 over RFC 8785 canonical JSON (embedded), and over the bytes of this PDF
cert-seal-key-id = Key ID
cert-seal-fingerprint = Public key fingerprint (SHA-256)
cert-seal-digest = Signature digest
cert-seal-how = How to verify
cert-seal-how-value = refurbdesk cert verify <this file>: checks the signed data attached and every byte of the file.

cert-role-technician = Technician
cert-role-auditor = Auditor
cert-role-quality-manager = Quality manager
cert-role-admin = Administrator

cert-value-yes = Yes
cert-value-no = No
cert-value-unknown = Unknown
cert-value-not-specified = Not specified
cert-value-not-reported = Not reported

## Units of size.
cert-unit-bytes = bytes
cert-unit-kib = KiB
cert-unit-mib = MiB
cert-unit-gib = GiB
cert-unit-tib = TiB

## Words that are not ours (a bench's, a person's), quoted and never translated.
cert-quoted = “{ $words }”
cert-unit-gb = GB

cert-run-bench = Test bench
cert-run-slot = Slot
cert-run-bench-said = The bench's own words
cert-run-manual = Guided manual reset
cert-run-manual-value = { $platform } (checklist { $version }): { $steps } steps confirmed
cert-platform-ios = iPhone and iPad
cert-platform-samsung = Samsung Galaxy
cert-platform-xiaomi = Xiaomi, Redmi and POCO
cert-platform-huawei = Huawei and Honor
cert-platform-android = Other Android phones and tablets

cert-fault-kind-write = Write
cert-fault-kind-read = Read
cert-fault-kind-flush = Flush
cert-fault-kind-mismatch = Read-back differs

cert-check-bench-said = The bench's own words
cert-check-note = Note (as recorded)
cert-check-photos = Photos

cert-destination-reuse-resale = Reuse: refurbished for resale
cert-destination-recycling = Recycling
cert-destination-return = Returned to the customer
cert-validation-signature = Signature of the person validating

## The batch audit report (crates/certificate/src/batch.rs).
cert-batch-report-title = Trade-in Batch Audit Report
cert-batch-report-statement = The organisation below reports the audit of the trade-in batch described here: each device the customer declared was checked against what was received, and its quote revised under the policy named, each adjustment with its reason. This report is digitally signed; any change to it is detectable.
cert-section-batch = Batch
cert-section-batch-totals = Totals
cert-section-batch-devices = Devices: declared and found (sums in { $currency })
cert-section-batch-extras = Devices received but not declared
cert-section-batch-certificates = Erasure certificates
cert-batch-id = Batch ID
cert-batch-customer = Customer
cert-batch-manifest = Manifest
cert-batch-quote-date = Quote date
cert-batch-quote-expiry = Quote valid until
cert-batch-audit-due = Audit due
cert-batch-received = Received
cert-batch-received-value = from { $first } to { $last }
cert-batch-policy = Revision policy
cert-batch-policy-sha256 = Policy SHA-256
cert-batch-currency = Currency
cert-batch-declared = Declared
cert-batch-received-count = Received
cert-batch-missing = Missing
cert-batch-extra = Extra
cert-batch-audited = Audited
cert-batch-quoted-total = Quoted total
cert-batch-revised-total = Revised total
cert-batch-difference = Difference
cert-batch-not-all-audited = { $count } received devices are not audited yet: the revised total leaves them out.
cert-batch-col-line = Line
cert-batch-col-declared = Declared
cert-batch-col-found = Found
cert-batch-col-quoted = Quoted
cert-batch-col-revised = Revised
cert-batch-col-reasons = Outcome and reasons
cert-batch-col-code = Scanned code
cert-batch-col-device = Device
cert-batch-col-received-at = Received
cert-batch-col-certificate = Certificate
cert-batch-extra-short = extra
cert-batch-no-certificates = No erasure certificate has been issued for this batch's devices.
cert-batch-storage = { $gb } GB
cert-batch-customer-ref = Ref.
cert-batch-serial = S/N
cert-batch-lock = Lock:
cert-batch-no-accessories = No accessories
cert-batch-not-received = Not received
cert-batch-missing-reason = Declared but never received: nothing is paid.
cert-batch-received-only = Received, not yet read
cert-batch-not-graded = Not graded
cert-batch-not-audited = Not audited yet
cert-batch-requote = The quote must be made again.
cert-accessory-charger = charger
cert-accessory-cable = cable
cert-accessory-box = box
cert-accessory-stylus = stylus
cert-accessory-keyboard = keyboard
cert-accessory-mouse = mouse
