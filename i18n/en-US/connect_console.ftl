## Connect Console: English messages, the catalog every `tr!` is checked against when the code
## is compiled. Ids begin with the screen or module that shows them. Numbers are grouped by the
## formatter (1,234); Unicode isolation marks are turned off in code.

## Common words and the language setting

common-cancel = Cancel
common-close = Close
common-save = Save
common-done = Done
common-retry = Retry
common-back = Back
common-next = Next
common-ok = OK
common-yes = Yes
common-no = No
common-copy = Copy
common-copied = Copied
common-browse = Browse…
common-none = none
common-loading = Loading…
language-label = Language
language-system = System
language-applied = The console now speaks { $language }.
