# Words every room shares: how numbers and lists read.

# The decimal separator numbers are written with.
number-decimal-separator = .
# A percentage; $value is already written with the decimal separator.
number-percent = { $value }%
# Between groups of three digits in a long integer (4,294,967,296).
number-group-separator = {","}
# Between the items of a list, and before its last item.
list-separator = {", "}
list-last-separator = {" and "}
# A figure that was not read.
figure-unknown = unknown
