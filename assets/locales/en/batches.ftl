## Trade-in batches (crates/app/src/batches.rs): a refused manifest, told line by line.

# The first line of a refused manifest's message; the problems follow, one a line.
batch-import-rejected = { $count ->
    [one] the manifest { $file } was not imported: 1 problem, nothing was imported
   *[other] the manifest { $file } was not imported: { $count } problems, nothing was imported
}
batch-import-unreadable = the manifest { $file } was not imported: { $what }
# Where a problem is: the line as a text editor counts it (the header is line 1) and the column.
batch-problem-at-column = line { $line }, column { $column }: { $what }
batch-problem-at-line = line { $line }: { $what }

batch-problem-missing-identifier = neither an IMEI nor a serial number
batch-problem-imei-not-digits = IMEI "{ $value }" holds characters other than digits
batch-problem-imei-scientific = IMEI "{ $value }" was turned into a number by a spreadsheet and lost its last digits (format the column as text)
batch-problem-imei-length = IMEI "{ $value }" has { $digits } digits, not 15
batch-problem-imei-check-digit = IMEI { $value } fails its check digit (the last digit should be { $expected })
batch-problem-duplicate-imei = IMEI { $value } is already on line { $first_line }
batch-problem-duplicate-serial = serial number { $value } is already on line { $first_line }
batch-problem-duplicate-in-open-batch = { $value } is already declared in open batch { $batch }
batch-problem-unknown-category = "{ $value }" is not a device category; use one of: { $expected }
batch-problem-unknown-grade = "{ $value }" is not a declared grade; use one of: { $expected }
batch-problem-unknown-accessory = "{ $value }" is not an accessory; use one of: { $expected }
batch-problem-bad-storage = "{ $value }" is not a whole number of gigabytes
batch-problem-bad-price = "{ $value }" is not a price
batch-problem-ambiguous-price = "{ $value }" could be thousands or decimals; write 1234 or 1234.00
batch-problem-negative-price = the price "{ $value }" is below zero
batch-problem-unknown-currency = "{ $value }" is not an ISO 4217 currency code
batch-problem-mixed-currency = currency { $value } differs from { $expected } on line { $first_line }; a manifest has one currency
batch-problem-too-many-fields = { $found } fields where the header has { $expected } columns

batch-file-empty = the file is empty
batch-file-no-lines = the file has a header but no device line
batch-file-no-identifier-column = the header has neither an imei nor a serial column (it has: { $columns })
batch-file-duplicate-column = the header names the column { $name } twice
batch-file-unreadable-xlsx = it is not a readable XLSX workbook ({ $detail })
batch-file-no-sheet = the workbook has no worksheet
batch-file-unreadable-csv = it is not a readable CSV file ({ $detail })
