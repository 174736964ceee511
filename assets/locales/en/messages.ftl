## Messages of the application layer, told in the language of the person reading them (the
## window's language, or the command line's --lang).

## A technician's answer over a bench test that failed.
grade-override = checklist item { $item }: the bench said fail, you answered { $answer }; both are kept
grade-override-history = { $item }: bench fail, answered { $answer } by { $operator }
