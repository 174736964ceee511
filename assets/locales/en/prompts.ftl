# What the terminal and the window ask while grading (--ask) and during a guided manual reset.
# A trailing space is kept with { " " }, since Fluent trims the end of a line.

grade-ask-item-prompt = [y]es (pass) / [n]o (fail) / na (not applicable) / [q]uit:{ " " }
grade-ask-item-again = Answer y (it works), n (it does not), na (the device has none) or q (stop, record nothing).
grade-ask-na-refused = This check applies to every device of this kind: answer y or n.
grade-ask-zone-prompt = flawless (0), micro (1), light (2), visible (3), cracked (4) / [q]uit:{ " " }
grade-ask-zone-again = Answer one of: flawless, micro (invisible at 20 cm), light (invisible at 50 cm), visible, cracked; or 0 to 4.
erase-manual-intro = Manual factory reset
erase-manual-required = required
erase-manual-optional = optional
erase-manual-question = Done? [y]es / [n]o / [s]kip / [q]uit:{ " " }
erase-manual-again = Answer y (done), n (could not be done), s (skipped) or q (stop here).
