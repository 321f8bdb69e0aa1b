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

## The shell: toolbar, commands, palette, status line, notices, clipboard, key storage

clipboard-copied-path = Copied path
clipboard-copied-client-id = Copied client id
clipboard-copied-app-id = Copied app id
clipboard-copied-request-id = Copied request id
clipboard-what-client-id = client id
clipboard-what-app-id = app id
clipboard-what-request-id = request id
# A small "Copy" button: its tooltip, and the name a screen reader reads ("Copy client id Ab12").
clipboard-copy-hover = Copy the { $what }
clipboard-copy-name = Copy { $what } { $value }
clipboard-unavailable = The clipboard is not available on this system; select the secret and copy it by hand
clipboard-copy-failed = Could not copy to the clipboard: { $error }
# The two labelled lines copied by "Copy with client ID" (the values follow each label).
clipboard-pair-client-id = Client ID
clipboard-pair-client-secret = Client secret

## Commands: labels (palette, toolbar, shortcut overlay), short toolbar labels, tooltips

command-palette = Command palette…
command-create-app = Create app…
command-import-csv = Import CSV…
command-refresh = Refresh
command-focus-search = Search apps
command-rotate-selected-secret = Rotate secret of selected app…
command-edit-redirect-uris = Edit redirect URIs of selected app
command-open-workflow = Open workflow of selected app
command-connect = Connect…
command-show-activity = Activity log
command-export-csv = Export apps as CSV…
command-export-json = Export apps as JSON…
command-select-all = Select all listed apps
command-light-mode = Switch to light mode
command-dark-mode = Switch to dark mode
command-show-shortcuts = Keyboard shortcuts
command-close = Close
command-zoom-in = Zoom in
command-zoom-out = Zoom out
command-fit-graph = Fit graph to window
command-node-above = Select the node above
command-node-below = Select the next node
command-previous-app = Select the app above
command-next-app = Select the app below
command-page-up-apps = Select a page of apps up
command-page-down-apps = Select a page of apps down
command-first-app = Select the first app
command-last-app = Select the last app
command-node-left = Select the node to the left
command-node-right = Select the node to the right
command-quit = Quit

command-palette-short = Commands…
command-show-activity-short = Activity
command-show-shortcuts-short = Shortcuts
command-light-mode-short = Light mode
command-dark-mode-short = Dark mode

command-palette-description = Find any command or app by typing
command-create-app-description = Create a new app and show its secret once
command-import-csv-description = Create many apps from a spreadsheet (or drop a CSV file on the window)
command-refresh-description = Load the app list again
command-focus-search-description = Search apps by name or client id
command-rotate-selected-secret-description = Issue a new client secret for the selected app
command-edit-redirect-uris-description = Change where the selected app may send people
command-open-workflow-description = Show the selected app's workflow as a graph
command-connect-description = Connect to another workspace or instance
command-show-activity-description = Every change made from this computer, with request ids
command-export-csv-description = Save the selected apps (or all) as the import's CSV, without secrets
command-export-json-description = Save the selected apps (or all) as JSON, without secrets
command-select-all-description = Select every app the list shows, for an export
command-toggle-theme-description = Switch between dark and light
command-show-shortcuts-description = Show this list
command-close-description = Close the import or the workflow graph
command-zoom-in-description = Zoom the workflow graph in
command-zoom-out-description = Zoom the workflow graph out
command-fit-graph-description = Fit the workflow graph to the window
command-node-above-description = Walk the graph up to a node leading here
command-node-below-description = Walk the graph down to the next node
command-previous-app-description = Move the selection up the list
command-next-app-description = Move the selection down the list
command-page-up-apps-description = Move the selection ten apps up
command-page-down-apps-description = Move the selection ten apps down
command-first-app-description = Select the first app of the list
command-last-app-description = Select the last app of the list
command-node-left-description = Walk the graph left within the row
command-node-right-description = Walk the graph right within the row
command-quit-description = Close the console

## The banner, the project picker, exports and the window

shell-banner-organization = { $backend } · { $url } · organization { $org }
shell-banner-local-sandbox = Local sandbox - demo data
shell-banner-local-server = Server on this computer · { $url }
shell-banner-hopae-sandbox = Hopae sandbox · { $url }
shell-banner-production = Production · { $url } · changes affect real customers
shell-no-project = No project
shell-project = Project
shell-no-projects = This organization has no projects
shell-exported-to = Exported to { $path }
shell-nothing-to-export = Nothing to export: the list is empty
# Titles of the native save and open dialogs.
shell-export-json-title = Export apps as JSON
shell-export-csv-title = Export apps as CSV
shell-key-file-title = Save the key file (it cannot be downloaded again)
shell-ca-file-title = Choose a certificate authority file (PEM)
shell-store-secret-before-closing = Store the secret and tick the box before closing
shell-no-api-key = No API key for { $url }: set CONNECT_API_KEY, or connect once from "Connect…" so the key is saved in the system keyring
shell-window-not-opened = The window could not be opened: { $error }

## The status line and "Still waiting for HOST…"

status-loading-progress = Loading { $loaded } of { $total } apps
status-loading-apps = Loading apps…
status-app-count = { $count ->
    [one] { $count } app
   *[other] { $count } apps
}
status-loading-failed = Loading failed: { $error }
status-try-again = Try again
status-still-waiting = Still waiting for { $host }…
status-stop-waiting-hover = Stop waiting; sending it again later cannot do it twice
# What a slow call is doing (the tooltip of "Still waiting for HOST…").
status-loading-apps-from = Loading the apps from { $host }
status-checking-connection = Checking the connection
status-load-cancelled = Loading was cancelled; the list shows what was loaded before. Refresh (F5) to try again
status-check-cancelled = The check was cancelled; nothing was changed
status-request-cancelled = You cancelled the request before the server answered

## Notices: failed changes, messages and failures not tied to a change

notice-dismiss = Dismiss
notice-retry-hover = Send the same request again (nothing is done twice)
notice-unknown-outcome-rotate = The outcome is unknown: the secret may already have been rotated. Retry resends the same request, so it cannot rotate twice, and shows the new secret if there is one.
notice-unknown-outcome-create-app = The outcome is unknown: the app may have been created. Retry resends the same request, so it cannot create a second app.
notice-unknown-outcome-create-workflow = The outcome is unknown: the workflow may have been created. Retry resends the same request, so it cannot create a second one.
notice-unknown-outcome-add-key = The outcome is unknown: a key may have been added, but its key file was not received, so it cannot be used. Delete any key you cannot account for, then add one again.
notice-unknown-outcome-change = The outcome is unknown: the change may have been made. Retry sends the same change again.
notice-request-id = Request id { $id }
notice-copy-request-id = Copy request id
notice-activity-not-written = The activity log could not be written
notice-activity-not-written-detail = { $reason }. The change itself was made; check the disk and the folder's permissions
notice-folder-not-opened = The folder could not be opened
notice-folder-not-opened-detail = { $error }. The file is in { $path }; use Copy path and open it from your file manager
notice-created-without-redirect-uri = "{ $name }" was created without its redirect URI
notice-created-signs-with-keys = "{ $name }" was created. It signs with keys (private key JWT), so it has no client secret
notice-created-without-secret = "{ $name }" was created, but the server did not return its secret
notice-created-without-secret-detail = Rotate the secret from the app's details to get a new one
notice-key-added = Key { $key } was added to { $app }
notice-key-deleted = Key { $key } was deleted
notice-key-saved = Key { $key } was added; it expires { $expires }. Its key file is saved at { $path } (readable only by you) and cannot be downloaded again
notice-export-not-saved = The export was not saved
notice-no-key-added = No key was added
notice-no-dialog-key-file = No file dialog can open on this system, so the key file has nowhere to go. Add the key from the command line: connect-console apps keys add APP --output FILE
notice-no-dialog-type-path = No file dialog can open on this system. Type the file's path in the box
notice-no-dialog-type-or-drop = No file dialog can open on this system. Type the file's path in the box, or drop the file on the window
notice-no-dialog-type-save-path = No file dialog can open on this system. Type the path of the file to save in the box next to the button
notice-no-file-dialog = No file dialog

## The command palette

palette-label = Command or app
palette-hint = Type a command, an app's name or its client id
palette-no-match = Nothing matches; try fewer letters.
palette-more = …and { $count } more; type more letters
palette-open-app = Open { $name }
palette-show-workflow = Show workflow { $name }

## Where the API key is kept (the banner)

keystore-environment = API key from CONNECT_API_KEY
keystore-keyring = API key saved in the system keyring
keystore-this-run-only = No system keyring is available: the API key is kept for this run only

## Apps list, app details, webhook, providers, keys, dialogs, connection dialog, activity

## The apps list (src/ui/apps_list.rs)

apps-column-name = Name
apps-column-client-id = Client ID
apps-column-redirect-uris = Redirect URIs
apps-column-workflows = Workflows
apps-column-state = State
apps-column-auth-method = Auth method
apps-kind-app = { $kind } app
apps-kind-other = other
apps-state-active = active
apps-state-inactive = inactive
apps-search-label = Search
apps-search-hint = Name or client id  (Ctrl+F)
apps-search-clear = Clear
apps-count-shown = { $total ->
    [one] { $shown } of { $total } app
   *[other] { $shown } of { $total } apps
}
apps-no-match-filters = No app matches the search and the filters
apps-no-match = No app matches "{ $search }"
apps-clear-search-filters = Clear search and filters
apps-filter-webhook = Webhook
apps-filter-any = Any
apps-filter-on = On
apps-filter-off = Off
apps-filter-provider = Provider
apps-filter-no-redirect-uris = No redirect URIs
apps-export = Export
apps-export-scope-listed = Exports the apps listed, without secrets
apps-export-scope-selected = { $count ->
    [one] Exports the { $count } selected app, without secrets
   *[other] Exports the { $count } selected apps, without secrets
}
apps-export-csv = As CSV for import…
apps-export-json = As JSON…
apps-export-tooltip = { $scope }. Ctrl-click or Shift-click rows, or Ctrl+A, to pick apps
apps-clear-selection = Clear selection
apps-selected-count = { $count } selected
apps-badge-no-redirect-uris = no redirect URIs
apps-badge-no-redirect-uris-tooltip = This app cannot sign anyone in until it has one
apps-loading = Loading apps…
apps-loading-progress = Loading apps… { $loaded } of { $total }
apps-load-failed = The apps could not be loaded
apps-empty-title = No apps yet
apps-empty-hint = Create your first app with "Create app…" (Ctrl+N).

## App details (src/ui/details.rs)

details-pick-project = Pick a project in the toolbar
details-select-app = Select an app to see its details
details-tab-overview = Overview
details-tab-webhook = Webhook
details-tab-providers = Providers
details-keys = Keys
details-part-name = the name
details-part-redirect-uris = the redirect URIs
details-part-webhook = the webhook
details-problem-name = The name: { $problem }
details-problem-redirect-uris = The redirect URIs: { $problem }
details-problem-webhook = The webhook: { $problem }
details-save-name = Save name
details-reset = Reset
details-saving = Saving…
details-try-again = Try again
details-app-id = App ID
details-client-id = Client ID
details-display-name = Display name
details-type = Type
details-type-value = { $kind } application
details-authentication = Authentication
details-auth-basic = Basic: client id and secret
details-auth-private-key-jwt = Private key JWT: signs with keys
details-auth-unset = Set in the instance's own console
details-state = State
details-active = Active
details-inactive = Inactive: logins are refused
details-deactivate = Deactivate…
details-deactivate-tooltip = Stop logins until the app is reactivated
details-reactivate = Reactivate…
details-reactivate-tooltip = Accept logins again
details-client-secret = Client secret
details-rotate-secret = Rotate secret…
details-rotate-secret-tooltip = Issue a new secret; the current one stops working immediately
details-secret-none-keys = None: this app signs with keys
details-secret-managed = Managed in the instance's own console
details-redirect-uris = Redirect URIs
details-providers = Providers
details-providers-none = None enabled
details-providers-activation = Activation…
details-workflows = Workflows
details-workflow-nodes = { $count ->
    [one] { $count } node
   *[other] { $count } nodes
}
details-workflow-default-nodes = { $count ->
    [one] (default) · { $count } node
   *[other] (default) · { $count } nodes
}
details-workflow-open-tooltip = Open the workflow graph
details-none = None
details-webhook = Webhook
details-webhook-on = On · { $url }
details-webhook-no-url = no URL
details-webhook-off = Off
details-webhook-not-set = Not set
details-edit-webhook = Edit webhook…
details-raw-json = Raw JSON (secrets masked)
details-edit-redirect-uris = Edit redirect URIs
details-uris-label = Addresses, one per line
details-uris-help = Users return to one of these after verifying. When a sign-in does not say which, the first one is used.
details-uris-count = { $count } of { $max }
details-uris-line-problem = Line { $line }: { $problem }
details-uris-more = …and { $count } more
details-save-redirect-uris = Save redirect URIs

## The webhook tab (src/ui/webhook_editor.rs)

webhook-address-required = Enter the address to deliver to, or turn the webhook off
webhook-no-unsaved = No unsaved changes.
webhook-unsaved-fields = Unsaved: { $fields }
webhook-save = Save webhook
webhook-signing-secret = Signing secret
webhook-signing-help = Deliveries are signed with this secret so the receiver can check they came from Hopae. It is shown once, when issued.
webhook-rotate = Rotate webhook secret…
webhook-rotate-tooltip = Issue a new signing secret; the current one stops working
webhook-deliver = Deliver events to this app's webhook
webhook-address = Address
webhook-retry-attempts = Retry attempts
webhook-timeout = Timeout (seconds)
webhook-events = Events
webhook-events-none = None chosen: the webhook receives every event.
webhook-other-event = Other event
webhook-add-event = Add event

## The providers tab (src/ui/providers_tab.rs)

providers-loading = Loading providers…
providers-reload = Reload
providers-empty = This app's catalog lists no providers.
providers-countries = Countries { $countries }
providers-levels = levels of assurance { $levels }
providers-summary = { $count ->
    [one] { $count } provider · { $activated } activated
   *[other] { $count } providers · { $activated } activated
}
providers-summary-waiting = { $count ->
    [one] { $count } needs information
   *[other] { $count } need information
}
providers-on-for-app = · on for this app
providers-off-for-app = · off for this app
providers-still-required = { $count ->
    [one] Still required for activation: { $count } detail
   *[other] Still required for activation: { $count } details
}
providers-example = {" "}(for example { $example })

## The keys of an app (src/ui/keys_panel.rs)

keys-loading = Loading keys…
keys-load-failed = The keys could not be loaded: { $error }
keys-none = No keys yet: the app cannot sign in until it has one
keys-never = never
keys-expired = Expired { $when }
keys-expires = Expires { $when }
keys-created = Created { $when }
keys-delete = Delete…
keys-delete-tooltip = Whatever signs with this key stops working
keys-add = Add key…
keys-refresh = Refresh
keys-expiry-question = The new key expires:
keys-in-one-year = In one year
keys-on-date = On
keys-date-tooltip = The key works until the end of that day (UTC)
keys-never-expires = Never
keys-shown-once = ZITADEL shows a key once: its key file is saved where you choose, readable only by you, and cannot be downloaded again.
keys-save-file = Save key file…

## Dialogs (src/ui/dialogs.rs)

dialog-create-title = Create app
dialog-create-name = App name
dialog-create-name-hint = e.g. Acme Bank onboarding
dialog-create-name-taken = An app with this name already exists here; choose another name
dialog-create-name-repeated = Another app already has this name. You can still create this one, but an import treats rows with this name as that app.
dialog-create-name-limit = Up to { $max } characters.
dialog-create-redirect-uri = Redirect URI (optional)
dialog-create-redirect-help = Where users return after verifying. You can add more in the app's details.
dialog-create-auth-question = How the app authenticates
dialog-create-auth-basic = Basic: a client id and a secret (shown once)
dialog-create-auth-jwt = Private key JWT: signs with keys, no secret
dialog-create-button = Create
dialog-create-creating = Creating…
dialog-rotate-client-title = Rotate client secret?
dialog-rotate-client-warning = The current secret of { $app } stops working immediately. Every system that uses it must be updated with the new one.
dialog-rotate-client-button = Rotate secret
dialog-rotate-webhook-title = Rotate webhook secret?
dialog-rotate-webhook-warning = Deliveries to the webhook of { $app } will be signed with a new secret. The receiver must be updated with it, or it will refuse them.
dialog-rotate-webhook-button = Rotate webhook secret
dialog-production-title = Change a production app?
dialog-production-yes = Yes, make this change
dialog-production-warning = This workspace is production: the change reaches real customers at once.
dialog-delete-key-title = Delete this key?
dialog-delete-key-button = Delete key
dialog-delete-key-warning = Key { $key } of "{ $name }" stops working at once: whatever signs in with it is refused. This cannot be undone.
dialog-reactivate-title = Reactivate this app?
dialog-reactivate-button = Reactivate
dialog-reactivate-body = "{ $name }" will accept logins again.
dialog-deactivate-title = Deactivate this app?
dialog-deactivate-button = Deactivate
dialog-deactivate-body = "{ $name }" stops accepting logins at once, until it is reactivated. Its settings and secret are kept.
dialog-secret-created-title = App created: copy its client secret
dialog-secret-rotated-title = New client secret
dialog-secret-webhook-title = New webhook signing secret
dialog-secret-once = This secret is shown only once. Store it now (for example in a password manager); it cannot be displayed again.
dialog-secret-copy = Copy secret
dialog-secret-copy-both = Copy client ID + secret
dialog-secret-copy-both-tooltip = Two labelled lines: "Client ID: …" and "Client secret: …"
dialog-secret-clipboard-note = { $seconds ->
    [one] A copy stays on the clipboard for { $seconds } second, also after you close this window, and is then removed.
   *[other] A copy stays on the clipboard for { $seconds } seconds, also after you close this window, and is then removed.
}
dialog-secret-copied-left = { $seconds ->
    [one] Copied. Paste it within { $seconds } second, here or after closing this window; then the clipboard is emptied (also if you quit the console).
   *[other] Copied. Paste it within { $seconds } seconds, here or after closing this window; then the clipboard is emptied (also if you quit the console).
}
dialog-secret-emptied = The minute is over and the clipboard was emptied. Copy again if you need it.
dialog-secret-acknowledge = I have stored this secret safely
dialog-secret-tick-hint = Tick the box above to close this window.
dialog-unsaved-title = Unsaved changes to { $name }
dialog-unsaved-body = You changed { $parts } and did not save.
dialog-unsaved-joiner = {" "}and{" "}
dialog-unsaved-problem = { $problem }. Keep editing to fix it, or discard.
dialog-unsaved-production = Saving changes a production workspace.
dialog-unsaved-discard = Discard
dialog-unsaved-keep-editing = Keep editing
dialog-shortcuts-title = Keyboard shortcuts
dialog-shortcuts-or = {" "}or{" "}
dialog-shortcuts-note = Keys without Ctrl do nothing while you type in a field.

## The connection dialog (src/ui/connect.rs)

connect-title = Connect to a workspace
connect-button = Connect
connect-use-local-sandbox = Use local sandbox
connect-use-local-sandbox-tooltip = Go back to the demo data on this computer
connect-checking = Checking the key…
connect-workspace = Workspace
connect-hopae-sandbox = Hopae sandbox
connect-production = Production
connect-other-address = Other address
connect-address = Address
connect-pat = Personal access token
connect-api-key = API key
connect-pat-hint = a service user's token
connect-api-key-hint = sk_workspace_test_… or sk_workspace_prod_…
connect-env-key = CONNECT_API_KEY is set: its key is used and nothing is stored.
connect-keyring = Kept in the system keyring, never in a file. Leave empty to use the key already saved for this address.
connect-org-id = Organization id
connect-org-id-hint = optional: the token's own organization when empty
connect-ca = Certificate authority
connect-ca-hint = optional: a PEM file
connect-ca-file = Certificate authority file…
connect-ca-file-tooltip = Choose the certificate (PEM) of your company's authority
connect-clear = Clear
connect-ca-help = Only behind a company proxy that inspects secure connections, or for a server with a private authority. Trusted besides the system's store; the path is remembered with this address.
connect-give-up-after = Give up after
connect-seconds-suffix = {" "}s
connect-give-up-help = A call, retries included, stops after this long.
connect-production-warning = Production: changes affect real customers. Every change will ask for confirmation.

## The activity panel (src/ui/activity_view.rs) and the activity log (src/activity/)

activity-close-tooltip = Back to the apps (Esc)
activity-title = Activity
activity-filter = Filter
activity-filter-hint = app, name, action, workspace or request id
activity-failed-only = Failed only
activity-refresh = Refresh
activity-help = Every change made from this computer, by the console or the command line. Secrets are never recorded.
activity-no-match = No entry matches the filter
activity-empty = No change has been made from this computer yet
activity-column-time = Time
activity-column-workspace = Workspace
activity-column-action = Action
activity-column-app = App
activity-column-request-id = Request id
activity-column-outcome = Outcome
activity-app-link-tooltip = Show this app in the list
activity-outcome-ok = ok · { $detail }
activity-outcome-done = done
activity-outcome-failed = failed · { $error }
activity-action-create = Create app
activity-action-rename = Rename
activity-action-redirect-uris = Redirect URIs
activity-action-webhook = Webhook
activity-action-rotate-secret = Rotate secret
activity-action-rotate-webhook-secret = Rotate webhook secret
activity-action-import = Import
activity-action-deactivate = Deactivate
activity-action-reactivate = Reactivate
activity-action-add-key = Add key
activity-action-delete-key = Delete key
activity-action-create-workflow = Create workflow
activity-action-update-workflow = Change workflow
activity-error-no-place = The activity log has no place to live: { $error }. Or set { $variable } to a file
activity-error-file = Could not { $what ->
    [create] create the folder of
    [lock] lock
    [rotate] rotate
    [open] open
    [read] read
   *[write] write
} the activity log { $path }: { $error }. The change itself was made; check that the folder is writable and the disk is not full

## CSV import: reading the file, checks, plan, run, report, and the import wizard

# Reading the file (src/import/mod.rs, decode.rs, parse.rs)
import-no-rows = The file has a header row but no apps below it. Add one row per app under the header, then import it again
import-read-failed = Could not read { $path }: { $error }. Check that the file exists and that you may open it
import-file-too-large = { $path } is { $size } MB; the import reads files of up to { $max } MB. Split it into smaller files and import them one after the other
import-file-empty = The file is empty. Export the spreadsheet again with a header row and one row per app
import-file-binary = This is { $kind }, not a CSV file. In your spreadsheet program choose Save As (or Export) and pick "CSV UTF-8", then import that file
import-kind-zip = an Excel workbook or another zip archive (.xlsx, .zip)
import-kind-xls = an old Excel workbook (.xls)
import-kind-pdf = a PDF document
import-kind-png = a PNG image
import-kind-jpeg = a JPEG image
import-kind-gif = a GIF image
import-kind-gzip = a gzip archive
import-file-not-text = This file does not contain text. Choose the CSV file exported from your spreadsheet (File > Save As > CSV)
import-unknown-encoding = "{ $label }" is not an encoding this import knows. Use one of utf-8, utf-16le, utf-16be, windows-1252, iso-8859-15, shift_jis, euc-kr, gbk
csv-delimiter-comma = comma (,)
csv-delimiter-semicolon = semicolon (;)
csv-delimiter-tab = tab
csv-delimiter-bar = vertical bar (|)
csv-delimiter-invalid = "{ $text }" is not a delimiter; use one character such as , ; | or the word tab
csv-read-failed = The file could not be read as CSV near row { $row }: { $reason }. Check that quotes are closed, or choose the delimiter by hand
csv-error-invalid-text = it contains text that is not valid
csv-error-quoting = the quoting is broken
csv-too-many-rows = The file has more than { $max } rows. Split it into smaller files and import them one after the other
csv-no-header = The file has no header row. Put the column names (for example name, redirectUris) in the first row

# Columns (src/import/map.rs)
import-field-name = App name
import-field-redirect-uris = Redirect URIs
import-field-webhook-url = Webhook URL
import-field-external-id = External id
import-headers-more = { $count } more
import-headers-all-empty = all empty
import-no-name-column = No column holds the app names. The headers found are { $headers }. Rename the column with the names to "name" (or download the template to see every header)

# Row checks (src/import/validate.rs)
import-name-formula = The name starts with "{ $char }"; it is used as plain text, exactly as written
import-uri-problem = Address { $index } ({ $uri }): { $problem }
import-no-redirect-uri = No redirect URI: people cannot be sent back to the app after verifying until one is added
import-column-number = column { $number }
import-too-many-cells = The row has { $cells ->
        [one] { $cells } cell
       *[other] { $cells } cells
    } but the header has { $header }; a value probably contains the delimiter. Put that value in double quotes
import-too-few-cells = The row has { $cells ->
        [one] { $cells } cell
       *[other] { $cells } cells
    } but the header has { $header }; the missing cells are read as empty
import-duplicate-external-id = Row { $first } has the same external id; only row { $first } is imported. Give each customer its own id if both are meant
import-duplicate-name = Row { $first } has the same name; only row { $first } is imported. Give each row an external id if both apps are meant
import-duplicate-name-both = Row { $first } has the same name; both rows create an app (their external ids differ). Delete one if this is a mistake
import-webhook-not-url = This is not a full web address; write it like https://example.com/webhooks
import-webhook-not-https = Use an https:// address with a host, like https://example.com/webhooks

# The plan (src/import/plan.rs, preview.rs)
import-change-redirect-uris = redirect URIs: { $before } -> { $after }
import-change-webhook-url = webhook URL: { $before } -> { $after }
import-change-none = (none)
import-existing-mode-invalid = "{ $text }" is not one of skip, update, create
import-plan-failed = The plan could not be made: { $error }
preview-update-line = Row { $row } · { $name } ({ $client_id }): { $changes }
preview-action-new = new
preview-action-new-twin = new, beside { $count ->
        [one] { $count } app
       *[other] { $count } apps
    } with this name
preview-action-exists = exists ({ $client_id }), left as it is
preview-action-created-earlier = created by an earlier import ({ $client_id })
preview-action-up-to-date = exists ({ $client_id }), up to date
preview-action-unfinished = sent by an earlier import whose answer was lost; not sent again
preview-action-unfinished-named = sent by an earlier import whose answer was lost; not sent again ({ $client_id } has this name)
preview-action-update = update { $client_id }: { $changes }
preview-action-repeats = repeats row { $first }; only row { $first } is imported
preview-action-invalid = invalid; not imported
preview-action-claim = created by an earlier import as `{ $name }`, whose answer was lost; its secret is issued again and it is renamed
preview-action-give-key = created by an earlier import ({ $client_id }); it gets a new key
preview-action-rename = created by an earlier import as `{ $name }`; it is renamed
preview-action-same-name = same name as row { $first }; not imported

# Outcomes and the report (src/import/report.rs)
results-status-created = created
results-status-created-earlier = created earlier
results-status-failed = failed
results-status-invalid = invalid
results-status-skipped = skipped
results-status-exists = exists
results-status-updated = updated
results-status-ready = ready
results-status-update = update
import-summary-ready = { $count } ready to create
import-summary-to-update = { $count } to update
import-summary-created = { $count } created
import-summary-created-earlier = { $count } created ({ $earlier } in an earlier run)
import-summary-exist = { $count } already exist
import-summary-updated = { $count } updated
import-summary-skipped = { $count } skipped
import-summary-failed = { $count } failed
import-summary-invalid = { $count } invalid
import-summary = { $parts } (of { $total } rows)
import-save-failed = Could not save { $path }: { $error }. Choose another folder or free some disk space

# The run (src/import/run.rs)
import-survey-failed = Could not read the workspace's apps to compare the file with: { $error } Nothing was sent
import-secret-not-saved = Created as { $client_id }, but its secret could not be saved. Run the import again with another --secrets file to receive it
import-not-sent-stopped = Not sent because the import stopped: { $reason }
import-not-sent-cancelled = Not sent: the import was cancelled. Run it again to continue
import-cancelled = The import was cancelled
import-not-changed-stopped = Not changed because the import stopped: { $reason }
import-not-changed-cancelled = Not changed: the import was cancelled. Run it again to continue
import-exists-several = Several apps are named "{ $name }"; none was changed. Give the row an external id, or change the right app in the console
import-exists-left = An app with this name exists ({ $client_id }); it was left as it is. Choose "update" to change it, or "create" for a second app
import-up-to-date = { $client_id } is already up to date
import-unfinished-past-window = An earlier import sent this row and never learnt whether it was created, more than 23 hours ago, so it cannot be sent again safely. { $found }
import-unfinished-key-conflict = An earlier import sent this row and never learnt whether it was created, and the row was changed since, so the server will not take it again. { $found }
import-unfinished-found = An app with this name exists ({ $client_id }) and was left as it is: if that import made it, rotate its secret in the console to get one
import-unfinished-look = Look in the console for the app that import may have made (by its old name or external id) before creating this row another way
import-repeat-external-id = Row { $first } has the same external id and is imported instead
import-repeat-name = Row { $first } has the same name and is imported instead
import-created-no-secret = Created as { $client_id }, but the server did not return its secret. Rotate the secret in the console to get one
import-answer-empty = The server's answer for this row was empty
import-answer-missing-row = The server's answer did not mention this row. Run the import again: it is sent with the same key, so it cannot be created twice

# The journal and private files (src/import/journal.rs, secrets.rs, windows.rs)
import-no-home = This account has no home folder, so there is no private place for the import journal. Set HOME (or XDG_DATA_HOME), or pass --journal-dir with a folder only you can read
import-file-is-link = { $path } is a symbolic link; this console writes only to the real file. Give the file the link points to, or another name
import-file-is-link-short = { $path } is a symbolic link; this console writes only to the real file
import-file-not-regular = { $path } is not a regular file; give a file name
import-file-other-user = { $path } belongs to another user; give a file of your own
import-lock-process = process { $pid }
import-lock-another = another process
import-journal-failed = Could not { $what ->
        [create] create
        [lock] lock
        [open] open
       *[read] read
    } the import journal in { $dir }: { $error }. Check that the folder is writable and the disk is not full
import-journal-busy = Another import into this workspace is running ({ $holder }); two runs at once could send the same rows. Wait for it to finish, or stop it, then try again
import-journal-read-failed = Could not read the import journal in { $dir }: { $error }
import-journal-record-failed = Could not record the import: { $error }
import-journal-write-failed = Could not write the import journal { $path }: { $error }. Free some disk space, then run the import again; it resumes where it stopped
import-secrets-folder-missing = the folder { $folder } does not exist
import-secrets-no-permission = you may not write in { $folder }
import-secrets-cannot-write = Cannot write the secrets file { $path }: { $why }. Nothing was sent. Choose a file in a folder you can write to
import-secrets-is-folder = The secrets file { $path } is a folder. Nothing was sent. Give a file name
import-secrets-write-failed = Could not write the client secrets to { $path }: { $error }. The import stopped; the apps of this batch are not marked as done. Run the same import again with another --secrets file (on a disk with free space): the server hands back the same secrets, and they go to the new file
import-secrets-dir-failed = Could not create { $dir } for the client secrets: { $error }. Choose a secrets file on the preview instead
import-secrets-too-many = too many secrets files were started this second
import-windows-no-username = USERNAME is not set, so the folder cannot be made private
import-windows-icacls-failed = { $path } could not be made readable by this account only (icacls failed)

# Import into a ZITADEL project (src/import/zitadel/)
import-zitadel-no-update = ZITADEL API apps have no redirect URIs or webhook URL, so an existing app has nothing to update. Leave out --existing update: rows whose name exists in the project are left as they are
import-zitadel-no-create = App names are unique in a ZITADEL project, so a second app with the same name cannot be created. Leave out --existing create, or give those rows other names
import-zitadel-survey-failed = Could not read the apps of project { $project } to compare the file with: { $error } Nothing was sent
import-zitadel-keys-dir-failed = The keys folder { $dir } could not be created: { $error }. Nothing was sent; choose a folder you can write to
import-zitadel-ready-claim = An earlier run created this app as `{ $name }` but did not finish recording it; the import saves its secret (issuing a new one unless the secrets file has it) and renames it
import-zitadel-ready-give-key = An earlier run created this app ({ $client_id }), but its key file is not in the keys folder; the import gives it a new key
import-zitadel-ready-rename = An earlier run created this app as `{ $name }` and saved its secret; the import renames it
import-zitadel-exists = An app with this name exists in the project ({ $client_id }); it was left as it is, and its secret was not changed
import-zitadel-repeat = Row { $first } has the same name and is imported instead (names are unique in a ZITADEL project)
import-zitadel-outcome-unknown = { $error }. It is not known whether the app was created. Run the import again: it looks for the app under the name `{ $marked }`, so nothing is created twice
import-zitadel-exists-not-found = ZITADEL said an app named `{ $marked }` exists, but none was found by that name. Run the import again: it looks the name up again and creates nothing twice
import-zitadel-lookup-failed = The answer to the create was lost, and the app could not be looked up: { $error }. Run the import again: it looks for `{ $marked }`, so nothing is created twice
import-zitadel-wrong-app = The app named `{ $name }` is { $kind ->
        [api] an API
        [oidc] an OIDC
        [saml] a SAML
       *[other] another kind of
    } app, not the { $expected } API app this import creates; it was left as it is. Run the import with the auth method of the first run, or remove that app
import-zitadel-wrong-app-signing = The app named `{ $name }` is { $kind ->
        [api] an API
        [oidc] an OIDC
        [saml] a SAML
       *[other] another kind of
    } app signing in with { $method }, not the { $expected } API app this import creates; it was left as it is. Run the import with the auth method of the first run, or remove that app
import-zitadel-secret-not-issued = Created as { $client_id } (named `{ $name }`), but its secret could not be issued: { $error }. Run the import again: it issues the secret then
import-zitadel-key-not-saved = Created as { $client_id } (named `{ $name }`), but its key could not be saved: { $why }. Run the import again: it gives the app a key then
import-zitadel-name-taken = The name is taken by another app, which was left as it is; ours was kept as `{ $marked }` ({ $client_id }) and its secret is saved. Rename or remove one of the two, then run the import again to finish
import-zitadel-rename-failed = Created as `{ $marked }` ({ $client_id }) and its secret is saved, but it could not be renamed to the row's name: { $error }. Run the import again: it finishes the rename

# The import wizard (src/ui/import_wizard/)
wizard-still-running = The import is still running. Cancel it first, or wait for it to end
wizard-template-saved = Template saved to { $path }
wizard-rows-to-fix-saved = Rows to fix saved to { $path }. Correct them in your spreadsheet, delete the problem column if you like, and import the file.
wizard-results-saved = Results saved to { $path }
wizard-step-file = 1 File
wizard-step-columns = 2 Columns
wizard-step-preview = 3 Preview
wizard-step-import = 4 Import
wizard-step-results = 5 Results
wizard-save-rows-to-fix-title = Save the rows to fix
wizard-save-to = Save to
wizard-file-heading = Import apps from a spreadsheet
wizard-file-intro = Choose a CSV file exported from your spreadsheet (or drop it on this window), with one app per row. Columns: name (required), redirectUris, webhookUrl, externalId. "Download template…" gives a file to start from.
wizard-choose-file = Choose file…
wizard-choose-file-title = Choose a CSV file to import
wizard-download-template = Download template…
wizard-template-title = Save the import template
wizard-file-path = File path
wizard-file-path-hint = or type the path of the file
wizard-open = Open
wizard-reading = Reading the file…
wizard-rows-count = { $count ->
        [one] { $count } row of apps
       *[other] { $count } rows of apps
    }
wizard-rows-none = no readable rows of apps
wizard-fact-file = File
wizard-fact-rows = Rows
wizard-encoding = Encoding
wizard-delimiter = Delimiter
wizard-detect = Detect
wizard-detect-found = Detect (found { $found })
wizard-detect-found-guess = Detect (found { $found }, a guess)
wizard-encoding-hint = If accents or other letters look wrong in the preview, choose the encoding.
wizard-encoding-western = Windows-1252 (Western Europe)
wizard-encoding-central = Windows-1250 (Central Europe)
wizard-encoding-japanese = Shift_JIS (Japanese)
wizard-encoding-korean = EUC-KR (Korean)
wizard-encoding-chinese = GBK (Chinese)
wizard-columns-intro = Each column of the file and what it holds. Columns set to "Ignore" are not imported.
wizard-col-in-file = Column in the file
wizard-col-imported-as = Imported as
wizard-col-first-value = First value
wizard-column-unnamed = (column { $number })
wizard-ignore = Ignore
wizard-checking = Checking the { $count ->
        [one] { $count } row
       *[other] { $count } rows
    } with the new columns…
wizard-ignored-columns = Ignored columns: { $columns }
wizard-name-required = Choose which column holds the app names: it is required.
wizard-col-row = Row
wizard-col-name = Name
wizard-progress-intro = Creating the apps. You can keep working; the list reloads when the import ends.
wizard-progress-rows = { $done } of { $total ->
        [one] { $total } row
       *[other] { $total } rows
    }
wizard-progress-pace = { $rate } rows per second, { $failed } failed so far, { $batches } batches at once
wizard-progress-eta = About { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    } left
wizard-stopping = Stopping after the batches already sent…

# The wizard's preview step
preview-valid = { $count } valid
preview-with-warnings = { $count } with warnings
preview-invalid = { $count } invalid
preview-skip-invalid = Skip invalid rows
preview-save-invalid = Save invalid rows to fix…
preview-save-invalid-tip = A CSV of these rows with their problems, to correct and import
preview-invalid-skipped = They are left out; the others are imported.
preview-invalid-fix = Fix them in the spreadsheet and open the file again, or skip them.
preview-production = This workspace is production: the new apps reach real customers at once.
preview-production-confirm = Yes, change { $count ->
        [one] { $count } app
       *[other] { $count } apps
    } in production
preview-twins = { $count ->
        [one] { $count } row has
       *[other] { $count } rows have
    } the name of an app that exists: each makes a second app with that name.
preview-twins-confirm = Yes, create { $count ->
        [one] { $count } app whose name exists already
       *[other] { $count } apps whose names exist already
    }
preview-import-create-update = Import: create { $new }, update { $update }
preview-import-count = Import { $count ->
        [one] { $count } app
       *[other] { $count } apps
    }
preview-import = Import
preview-unique-names = A row whose name is already taken is left as it is: app names are unique in a project.
preview-auth-label = New apps authenticate with
preview-auth-basic = Basic: client id and secret
preview-auth-private-key = Private key JWT: keys, no secret
preview-existing-label = Rows matching an app the workspace has (same name, or external id)
preview-existing-skip = Leave the app as it is
preview-existing-skip-tip = Nothing is sent for these rows
preview-existing-update = Update redirect URIs and webhook
preview-existing-update-tip = Where the row differs; an empty cell changes nothing
preview-existing-create = Create a second app
preview-existing-create-tip = A new app with the same name, on purpose
preview-comparing = Comparing the file with the workspace's apps…
preview-count-new = { $count } new
preview-count-exist = { $count } exist
preview-count-update = { $count } to update
preview-count-repeated = { $count } repeated in the file
preview-workspace-has = (the workspace has { $count ->
        [one] { $count } app
       *[other] { $count } apps
    })
preview-changes = What will change ({ $count ->
        [one] { $count } app
       *[other] { $count } apps
    }, before -> after)
preview-compare-again = Compare again
preview-col-what-happens = What happens
preview-col-problems = Problems
preview-keys-folder = Key files folder
preview-keys-folder-hint = a new folder in the console's data folder
preview-keys-expire = Keys expire
preview-keys-one-year = in one year
preview-keys-never = never
preview-keys-note = Each new app gets one key; its key file is written to this folder, readable only by you, and the results name each file. ZITADEL shows a key once: the files cannot be downloaded again.
preview-secrets-label = Client secrets of the new apps:
preview-change-file = Change file…
preview-secrets-tip = Each new app's client secret is written to this file, readable only by you, batch by batch
preview-secrets-title = Save the client secrets as they arrive
preview-secrets-path = saved to { $path } as each batch is created.
preview-secrets-default = If you choose none, they are saved to a new file readable only by you in the console's data folder, and the results page shows where.

# The wizard's results step
results-finished = Import finished
results-finished-problems = Import finished with problems
results-stopped-early = The import stopped early: { $reason }
results-retry-hint = Open the same file again and import it to retry the rows not created; apps already created are not created twice.
results-key-files = { $count } app(s) have their key file in this folder (readable only by you; the results name each file). Hand each file to its customer over a safe channel.
results-secrets-file = The client secrets of the new apps are in this file (readable only by you). Hand each secret to its customer over a safe channel, then delete the file.
results-saved = The results were saved.
results-save = Save results…
results-save-title = Save the import results
results-save-failed-rows = Save failed rows to fix…
results-save-failed-rows-tip = A CSV of the rows not created, with why, to correct and import
results-import-another = Import another file
results-col-client-id = Client ID
results-col-status = Status
results-col-detail = Detail
results-open-folder = Open folder
results-open-folder-tip = Show { $folder } in the file manager
results-copy-path = Copy path

## Workflows: the viewer, node kinds and summaries, lint, routes and the simulator

# The viewer's toolbar and empty state
workflow-close-tooltip = Back to the app (Esc)
workflow-picker = Workflow
workflow-default-marked = { $name } (default)
workflow-tab-graph = Graph
workflow-tab-table = Table
workflow-zoom-out = Zoom out
workflow-zoom-in = Zoom in
workflow-fit = Fit
workflow-export-png = Export PNG…
workflow-export-png-tooltip = Save the whole graph as an image
workflow-export-json = Export JSON…
workflow-export-json-tooltip = Save the workflow as the API returned it
workflow-save-to = Save to
workflow-no-workflows = This app has no workflows to show

# Exports
workflow-export-png-title = Export graph as PNG
workflow-export-json-title = Export workflow as JSON
workflow-png-filter = PNG image
workflow-saved-to = Saved to { $path }
workflow-taking-picture = Taking the picture…
workflow-saving-picture = Saving the picture…
workflow-picture-missing = The picture of the graph did not arrive. Try again, or export the JSON instead
workflow-json-failed = The workflow could not be written as JSON: { $error }

# The inspector
workflow-inspector-title = Inspector: { $id }
workflow-inspector-close = Close inspector
workflow-inspector-entry = entry node
workflow-inspector-ends = ends the workflow
workflow-inspector-problems = Problems of this node
workflow-inspector-settings = Settings
workflow-inspector-raw = Raw JSON
workflow-inspector-raw-failed = (could not show the JSON: { $error })

# The problems panel
workflow-problems-none = No problems found
workflow-problems-heading = Problems: { $errors } error(s), { $warnings } warning(s)
workflow-problem-error = Error
workflow-problem-warning = Warning

# The table view
workflow-table-node = Node
workflow-table-type = Type
workflow-table-summary = Summary
workflow-table-next = Next
workflow-table-problems = Problems
workflow-table-entry = { $kind } (entry)
workflow-table-end = { $kind } (end)
workflow-table-problem-count = { $count ->
    [one] { $count } problem
   *[other] { $count } problems
}
workflow-table-warning-count = { $count ->
    [one] { $count } warning
   *[other] { $count } warnings
}

# The graph canvas
graph-card-label = Node { $id }
graph-badge-entry = Entry
graph-badge-end = End
graph-fails-rejected = fails → rejected
graph-missing-target = missing: { $target }
graph-minimap = Minimap

# Node kinds, as shown (the type codes in the JSON stay as they are)
node-kind-request = Request
node-kind-verification = Verification
node-kind-check-min-loa = Check minimum LoA
node-kind-check-claim = Check claim
node-kind-evaluate = Evaluate
node-kind-if = If
node-kind-response = Response
node-kind-other = Unknown type

# One-line summaries of nodes
summary-request = Start: the request from the relying party
summary-min-loa = Require LoA >= { $level }
summary-min-loa-unset = Require a minimum LoA
summary-claim = Require { $rule }
summary-claim-unset = Check a claim
summary-evaluate = Evaluate { $rules }
summary-evaluate-unset = Evaluate rules
summary-response = Respond: { $result }
summary-response-unset = Respond to the relying party
summary-unknown-type = Type "{ $code }" is not known to this console
summary-verify = Verify
summary-verify-with = Verify with { $providers }
summary-verify-claims = { $verify }: { $claims }
summary-if-no-routes = If (no routes)
summary-if-a-condition = a condition
summary-if = If { $condition }
summary-if-routes = If { $condition } ({ $count } routes)

# The inspector's settings in words
summary-setting-id = Id
summary-setting-type = Type
summary-setting-settings = Settings
summary-setting-next = Next
summary-setting-ends = nothing (the workflow ends here)
summary-setting-routes = Routes
summary-setting-route = Route { $route }
summary-condition-unreadable = (condition not readable)
summary-no-target = (no target)
summary-no-routes = (no routes)

# Conditions and values in words
route-otherwise = otherwise
route-and = and
route-or = or
route-exists = { $field } exists
route-not-exists = { $field } does not exist
route-value-none = none
route-value-yes = yes
route-value-no = no

# Lint
lint-severity-error = error
lint-severity-warning = warning
lint-no-entry = The workflow names no entry node
lint-entry-missing = The entry node "{ $entry }" does not exist
lint-no-id = Node { $position } has no id
lint-duplicate-id = Id "{ $id }" is used by nodes { $first } and { $second }
lint-missing-target = "{ $from }" goes to "{ $target }", which does not exist
lint-missing-target-route = "{ $from }" goes to "{ $target }" (route { $route }), which does not exist
lint-route-without-target = Route { $route } of "{ $from }" names no node this console can read
lint-unreachable = "{ $id }" cannot be reached from the entry node
lint-if-without-routes = "{ $id }" is an if with no routes
lint-dead-end = The path ends at "{ $id }" ({ $kind }) without reaching a response
lint-provider-off = "{ $id }" verifies with { $provider }, which is turned off on this app
lint-provider-not-set-up = "{ $id }" verifies with { $provider }, which is not set up on this app
lint-unknown-type = "{ $id }" has type "{ $code }", unknown to this console
lint-no-response = The workflow has no response node
lint-closed-cycle = These nodes loop with no way out: { $nodes }

# The simulator: how steps and runs end (the codes of --json stay English)
sim-outcome-completed = completed
sim-outcome-rejected = rejected
sim-outcome-stuck = stuck
sim-outcome-invalid = invalid
sim-outcome-loop = loop
sim-result-passed = passed

# The simulator's reasons
sim-entry-not-found = the entry node "{ $id }" is not in the workflow
sim-no-entry = the workflow names no entry node
sim-too-many-steps = more than { $steps } steps without reaching a response
sim-request-starts = the request starts here
sim-mock-input = the mock userinfo for this node becomes input
sim-userinfo-input = the userinfo becomes input
sim-responds-with = responds with { $settings }
sim-responds-without = responds with no settings
sim-unknown-type = the type "{ $code }" is not one the simulator knows
sim-min-loa-not-number = the minimum LoA { $value } is not a number
sim-min-loa-unset = no minimum LoA is set (minLoa)
sim-no-claim = no claim to check
sim-rules-unreadable = the rules cannot be read: { $why }
sim-only-next = no routes, only a next node
sim-next-not-a-node = next "{ $id }" is not a node
sim-no-next = there is no next node
sim-route-no-condition = it has no condition and is not marked default: { $route }
sim-route-unreadable = route { $route } cannot be read: { $why }
sim-no-routes = there are no routes
sim-default-taken = no other route holds, so the default one
sim-only-default = only a default route
sim-no-route-holds = no route holds and none is marked default
sim-route-target-missing = route { $route } goes to "{ $id }", which is not a node
sim-route-no-target = route { $route } names no node to go to

# Why a rule held or not
sim-operator-unknown-of = the operator "{ $operator }" of { $field } is not one of eq, neq, gt, gte, lt, lte, exists, not_exists
sim-group-empty = a group of conditions is empty
sim-condition-missing = a condition is missing
sim-condition-shapeless = the condition { $condition } has no shape the console can read
sim-value-missing = missing
sim-reason-is = { $path } is { $actual }
sim-reason-not = { $path } is { $actual }, not { $expected }
sim-reason-anything-but = { $path } is { $actual }, needs anything but { $expected }
sim-reason-more-than = { $path } is { $actual }, needs more than { $expected }
sim-reason-less-than = { $path } is { $actual }, needs less than { $expected }
sim-reason-or-more = { $path } is { $actual }, needs { $expected } or more
sim-reason-or-less = { $path } is { $actual }, needs { $expected } or less
sim-reason-needs-value = { $path } is { $actual }, needs a value
sim-reason-needs-no-value = { $path } is { $actual }, needs no value
sim-reason-numbers-only = { $reason } (only numbers compare)

# The simulator's trace
sim-trace-other-type = Type "{ $code }"
sim-trace-by-route = { $next } by route { $route } ({ $label })
sim-trace-loop = loop, { $why } (stopped at { $node })
sim-trace-ended-at = { $outcome } at { $node }
sim-trace-response = → Response: { $result }

## The simulator panel of the workflow view

sim-title = Simulate a user
sim-close-hint = Close the simulator (Esc)
sim-privacy-note = Sample userinfo may hold personal data. The last one run is kept for this workflow on this computer only, readable by you alone.
sim-examples = Examples:
sim-example-korean-adult = Korean adult, LoA 2
sim-example-swedish = Swedish user, LoA 2
sim-example-low-loa = LoA 1 user
sim-input-not-object = The userinfo must be a JSON object: { "{" } … { "}" }
sim-input-invalid = Line { $line }, column { $column }: { $problem }
sim-input-label = Userinfo the verification returns (JSON)
sim-input-valid = Valid JSON
sim-json-eof = the text ends too soon (a bracket or a quote is not closed)
sim-json-syntax = this is not valid JSON
sim-run = Run
sim-run-hint = Runs this userinfo through the workflow (Ctrl+Enter). Nothing is sent.
sim-forget-inputs = Forget saved inputs
sim-forget-inputs-hint = Removes every userinfo kept on this computer for the simulator
sim-forgotten = { $count ->
    [one] Forgot { $count } saved input
   *[other] Forgot { $count } saved inputs
}
sim-not-run = Pick an example or type a userinfo, then Run.
sim-ended = { $outcome } at { $node }
sim-response-result = The response says: { $result }
sim-step = { $number }. { $kind } ({ $node }): { $result }
sim-step-hint = Select this node on the graph
sim-action = Simulate…
sim-action-hint = Run a sample user through this workflow and see the way it takes
sim-inputs-not-kept = The input could not be kept on this computer: { $reason }

## The workflow editor

editor-edit = Edit
editor-edit-hint = Change this workflow: add, delete and set up nodes, with undo and redo
editor-new = New workflow…
editor-new-default = In the default shape
editor-new-copy = As a copy of this workflow
editor-new-name = New workflow
editor-copy-name = Copy of { $workflow }
editor-title = Editing
editor-unsaved = Unsaved changes
editor-undo = Undo
editor-undo-hint = Undo the last change (Ctrl+Z)
editor-redo = Redo
editor-redo-hint = Redo the change undone (Ctrl+Shift+Z)
editor-save = Save…
editor-save-blocked = { $count ->
    [one] Fix the error in the problems list first
   *[other] Fix the { $count } errors in the problems list first
}
editor-nothing-to-save = Nothing has changed
editor-close = Stop editing
editor-close-hint = Leave the editor (it asks first when there are unsaved changes)
editor-conflict = Someone changed this workflow on the server since you opened it.
editor-conflict-reload = Reload theirs
editor-conflict-reload-hint = Drop your changes and show the workflow as it is on the server
editor-conflict-overwrite = Overwrite with mine
editor-conflict-overwrite-hint = Save your version over theirs
editor-name = Workflow name
editor-select-a-node = Select a node on the graph to change it.
editor-loading-types = Loading the node types…
editor-add-after = Add a node after { $node }
editor-add-at-end = Add a node
editor-node-heading = Node { $node } ({ $code })
editor-make-entry = Make it the entry node
editor-delete-node = Delete node
editor-delete-node-hint = Routes that led here are flagged in the problems list until you point them elsewhere
editor-next = Next
editor-nowhere = (nowhere)
editor-routes = Routes, tried in order
editor-routes-unreadable = These routes have a shape the editor cannot show; change them in the settings as JSON below.
editor-route-default = otherwise
editor-route-field = Field
editor-route-value = Value
editor-route-up = Try this route earlier
editor-route-down = Try this route later
editor-route-remove = Remove
editor-route-add = Add a route
editor-settings = Settings
editor-required-note = Fields marked * are required.
editor-required = required
editor-list-hint = values separated by commas
editor-json-invalid = Not valid JSON yet: not applied
editor-settings-json = Settings as JSON
editor-settings-json-hint = All of the node's settings, as JSON
editor-confirm-title = Save changes to { $workflow }?
editor-confirm-save = Save
editor-keep-editing = Keep editing
editor-leave-title = Unsaved changes
editor-leave-body = The changes to { $workflow } are not saved. Discard them?
editor-discard = Discard
editor-change-new = Creates the workflow with { $count ->
    [one] { $count } node
   *[other] { $count } nodes
}
editor-change-added = { $count ->
    [one] Adds { $count } node: { $nodes }
   *[other] Adds { $count } nodes: { $nodes }
}
editor-change-removed = { $count ->
    [one] Removes { $count } node: { $nodes }
   *[other] Removes { $count } nodes: { $nodes }
}
editor-change-changed = { $count ->
    [one] Changes { $count } node: { $nodes }
   *[other] Changes { $count } nodes: { $nodes }
}
editor-change-renamed = Renames it { $workflow }
editor-change-entry = Starts at { $node }
editor-saved = Saved { $workflow }

## Errors of the backends, the network, the runtime and the writes (area 50-errors)

## What to do after each kind of failed call (src/backends/hopae/api/error.rs)

error-advice-network = Check your internet connection and the workspace address, then try again
error-advice-timeout = The server may be overloaded or the network slow; try again in a minute (on the command line, --timeout SECONDS allows more time)
error-advice-redirected = Check the workspace address; if the API has moved, connect to its new address
error-advice-protocol = Check that the workspace address points at the Workspace API, and contact support if it does
error-advice-rate-limited = The server is busy; wait a moment and try again
error-advice-unauthorized = Check that the API key is correct, not revoked, and meant for this environment (sandbox or production)
error-advice-forbidden = Ask a workspace owner to give this API key access
error-advice-validation = Correct the value and try again
error-advice-not-found = It may have been removed; refresh the list
error-advice-conflict = Refresh to see the current state, then try again
error-advice-idempotency-key-conflict = This request was changed after it was first sent; start the action again
error-advice-request-in-progress = The same request is still being processed; wait a few seconds and try again
error-advice-server = This is a problem on the server; try again in a minute, and contact support with the request id if it persists
error-advice-decode = The server's answer could not be read; check the workspace address, and contact support with the request id if it persists
error-request-id = (request id { $id })
error-server-reported = The server reported an error
error-body-empty = The server answered { $status } { $reason } with an empty body
error-body-web-page-titled = The server answered { $status } { $reason } with a web page titled "{ $title }" instead of an API error
error-body-web-page = The server answered { $status } { $reason } with a web page instead of an API error
error-body-unknown-format = The server answered { $status } { $reason } with an error in an unknown format
error-body-not-json = The server answered { $status } { $reason } with an answer that is not JSON

## Backends (src/backends/mod.rs, kind.rs, keys.rs, listing.rs, memory/)

backend-unsupported = This kind of workspace has no { $what }
backend-feature-projects = projects
backend-feature-deactivation = deactivation
backend-feature-redirect-uris = redirect URIs
backend-feature-webhooks = webhooks
backend-feature-app-keys = app keys
backend-feature-providers = providers
backend-feature-workflows = workflows
backend-feature-importing = importing
backend-choose-auth-method = Choose how the new app authenticates: basic or private key JWT
backend-pick-project = Pick a project first; apps belong to a project
backend-memory-no-address = The in-memory workspace has no address; tests open it directly
backend-hopae-key-for-zitadel = This is a Hopae Connect workspace key (sk_workspace_…), not a ZITADEL personal access token. Nothing was sent. Create a personal access token for a service user in the ZITADEL console, or choose Hopae Connect as the backend
backend-not-a-hopae-key = This is not a Hopae Connect workspace key: those start with sk_workspace_test_ or sk_workspace_prod_. Nothing was sent. Copy the key from the Hopae Connect dashboard, or choose ZITADEL as the backend if this is a personal access token
backend-kind-memory = In-memory workspace
backend-key-expiry-not-a-date = "{ $text }" is not a date; give one like 2027-12-31 (the end of that day, UTC), 2027-12-31T18:00:00+09:00, or never
backend-key-expiry-past = { $at } is in the past; a key must expire later than now
backend-key-never = never
backend-listing-too-large = The list from { $host } went past { $mb } MB of answers without ending, so it was stopped; the server is probably sending the same pages again. Try again later, or ask its administrator
backend-listing-timeout = The list from { $host } was not complete after { $time }, so it was stopped. Try again later, or give a longer --timeout
backend-minutes = { $n } minute(s)
backend-memory-failed-earlier = The in-memory workspace failed in an earlier call
backend-memory-answer-lost = The connection was lost before the answer arrived
backend-memory-server-problem = The server had a problem (503); try again in a moment
backend-memory-app-not-found = App { $id } was not found in this workspace
backend-memory-project-not-found = Project not found
backend-memory-key-reused = This idempotency key was used for another request
backend-memory-no-secret = "{ $name }" signs with keys and has no secret to rotate
backend-memory-webhook-unreadable = The webhook change could not be read: { $error }
backend-memory-webhook-needs-url = An enabled webhook needs an address to deliver to
backend-memory-provider-unreadable = A provider could not be read: { $error }

## The Hopae Connect client (src/backends/hopae/)

hopae-deadline-passed = The server at { $host } did not finish answering within { $wait }
hopae-invalid-path = "{ $path }" is not a valid address
hopae-no-connection-within = The server at { $host } did not accept a connection within { $wait }
hopae-could-not-connect = Could not connect to the server at { $host }
hopae-sent-nothing = The server at { $host } sent nothing for { $wait }
hopae-lost-while-reading = The connection to { $host } was lost while reading the server's answer
hopae-connection-failed = The connection to the server at { $host } failed
hopae-answer-too-large = The answer from { $host } was larger than { $mb } MB, the most this console reads, so it was refused
hopae-redirected-to = The server at { $host } redirected to { $target } (HTTP { $status }); redirects are not followed
hopae-redirected-nowhere = The server at { $host } answered with a redirect (HTTP { $status }) without a usable address; redirects are not followed
hopae-list-announced-too-many = The server at { $host } announced { $total } apps, more than the { $max } this console lists
hopae-list-first-page-empty = The server at { $host } announced { $total } apps but sent none on the first page
hopae-list-same-apps = The server at { $host } kept sending the same apps (it ignored the page offset { $offset })
hopae-list-sent-too-many = The server at { $host } sent more than { $max } apps, the most this console lists
hopae-decode-not-a-list = The server's answer could not be read: expected a list of apps, found { $found }
hopae-decode-unexpected-value = The server's answer could not be read: the field `{ $field }` has an unexpected value
hopae-decode-unreadable-field = The server's answer could not be read: the field `{ $field }` could not be read
hopae-decode-empty = The server's answer could not be read: the answer was empty
hopae-decode-web-page = The server's answer could not be read: the server sent a web page instead of JSON
hopae-decode-cut-off = The server's answer could not be read: the answer was cut off before its end
hopae-decode-not-json = The server's answer could not be read: the answer is not valid JSON (line { $line }, column { $column })
hopae-json-null = null
hopae-json-boolean = a boolean
hopae-json-number = a number
hopae-json-string = a string
hopae-json-list = a list
hopae-json-object = an object
hopae-no-app-list = The server at { $host } has no app list at this address (HTTP 404); a workspace address usually ends in /connect/v1
hopae-batch-size = A batch holds 1 to { $max } apps, not { $count }
hopae-no-webhook-change = There is no webhook change to save
hopae-not-a-workflow-id = "{ $id }" is not a workflow id (like wf_6ec9b183)
hopae-not-a-client-id = "{ $id }" is not a client id; client ids are letters and digits like HqTRDIYH
hopae-name-empty = The app name is empty; type a name
hopae-name-too-long = The app name is { $count } characters long; use at most { $max }
hopae-name-control-character = The app name contains a line break or control character; remove it
hopae-redirect-address-problem = Redirect address { $number } ({ $uri }): { $problem }
hopae-encode-failed = Could not encode the request: { $error }
hopae-address-not-web = "{ $address }" is not a web address; use one like { $example }
hopae-address-no-host = The workspace address has no host name
hopae-address-plain-http = The workspace address must start with https:// (plain http is allowed only for this computer); use { $address }
hopae-address-scheme = The workspace address must start with https://, not { $scheme }://
hopae-no-api-key = No API key given; create one in the Hopae Console under Developers > Workspace API Keys
hopae-not-a-workspace-key = This does not look like a workspace API key (they start with sk_workspace_); copy it again from the Hopae Console
hopae-production-key-on-sandbox = A production key (sk_workspace_prod_) cannot be used with the sandbox; use a sk_workspace_test_ key, or connect to { $url }
hopae-test-key-on-production = A test key (sk_workspace_test_) cannot be used with production; use a sk_workspace_prod_ key, or connect to { $url }
hopae-uri-empty = The address is empty
hopae-uri-too-long = The address is longer than { $max } characters; shorten it
hopae-uri-fragment = Remove the #fragment: redirect addresses may not contain one
hopae-uri-not-full = This is not a full web address; write it like https://example.com/callback
hopae-uri-no-host = The address has no host; write it like https://example.com/callback
hopae-uri-plain-http = Use https:// (plain http is allowed only for localhost)
hopae-uri-scheme = Use https://, not { $scheme }://
hopae-uri-start-https = Start the address with https://
hopae-uri-too-many = An app can have at most { $max } redirect addresses; remove { $extra }
hopae-webhook-fragment = Remove the #fragment: a webhook address may not contain one
hopae-webhook-https-only = Use an https:// address; webhooks are delivered over https only
hopae-event-empty = An event name is empty; remove it or write one like verification.completed
hopae-event-too-long = An event name is longer than { $max } characters
hopae-event-not-a-name = "{ $name }" is not an event name; names have no spaces, like verification.completed
hopae-webhook-retry-range = Retry attempts must be from { $min } to { $max }, not { $value }
hopae-webhook-timeout-range = The timeout must be from { $min } to { $max } seconds, not { $value }
hopae-webhook-too-many-events = A webhook may list at most { $max } events
hopae-activation-not-activated = not activated
hopae-activation-requested = requested
hopae-activation-processing = processing
hopae-activation-rejected = rejected
hopae-activation-activated = activated

## The ZITADEL client (src/backends/zitadel/)

zitadel-in-org = {" "}in organisation { $org }
zitadel-no-reason = no reason given
zitadel-api-not-found = The management API was not found at this address{ $in_org }; check that it is the ZITADEL instance address
zitadel-project-not-found = The project { $project } was not found{ $in_org }
zitadel-key-not-found = The key was not found on App { $app }; it may have been deleted already. List the keys to see which remain
zitadel-app-not-found = App { $app } was not found in project { $project }{ $in_org }
zitadel-name-taken = An app with this name already exists in this project
zitadel-no-permission-projects = This token lacks permission to list projects{ $in_org } (project.read)
zitadel-no-permission-write = This token lacks permission to change the apps of project { $project }{ $in_org } (project.app.write)
zitadel-no-permission-read = This token lacks permission to read the apps of project { $project }{ $in_org } (project.app.read)
zitadel-token-rejected = The token was rejected by the ZITADEL instance: it is wrong, expired or revoked, or belongs to another instance
zitadel-project-not-found-or-hidden = The project { $project } was not found{ $in_org }, or this token cannot see it
zitadel-same-name = The app already has this name; there is nothing to change
zitadel-already-inactive = App { $app } is already inactive
zitadel-already-active = App { $app } is already active
zitadel-app-takes-no-keys = App { $app } does not sign in with a private key JWT, so it takes no keys (a basic app uses its client secret)
zitadel-wrong-state = ZITADEL refused because the app is not in a state that allows this ({ $reason })
zitadel-refused = ZITADEL refused the request: { $reason }
zitadel-slow-down = ZITADEL asks to slow down: too many requests
zitadel-unimplemented = This ZITADEL instance does not offer this call; check the instance address and the server's version
zitadel-aborted = ZITADEL stopped the change because another one happened at the same time
zitadel-cancelled = The request was cancelled
zitadel-deadline-exceeded = ZITADEL did not finish the request in time
zitadel-unavailable = ZITADEL is unavailable at the moment
zitadel-internal = ZITADEL reported an internal error ({ $reason })
zitadel-no-id = (none)
zitadel-no-answer-in-time = The ZITADEL instance at { $host } did not answer in time
zitadel-could-not-connect = Could not connect to the ZITADEL instance at { $host }
zitadel-lost-while-reading = The connection was lost while reading the answer of the ZITADEL instance at { $host }
zitadel-connection-failed = The connection to the ZITADEL instance at { $host } failed
zitadel-page-size = A page holds 1 to { $max } apps, not { $limit }
zitadel-app-not-found-by-either-id = App { $app } was not found in project { $project } (by app id or client id)
zitadel-secret-not-api-app = { $label } is an { $kind } app; this console issues secrets for API apps only, so use the ZITADEL console for it
zitadel-secret-key-app = { $label } signs with keys (private key JWT) and has no client secret; add or replace its keys in the ZITADEL console instead
zitadel-secret-unknown-method = { $label } uses an authentication method this console does not know, so no secret was issued; check the app in the ZITADEL console
zitadel-no-new-secret = ZITADEL answered without a new secret; regenerate it again in the ZITADEL console
zitadel-address-no-path = The ZITADEL instance address cannot hold a path
zitadel-deadline-passed = The ZITADEL instance at { $host } did not finish answering within { $wait }
zitadel-too-many-rows = ZITADEL sent more than { $max } rows in one list, the most this console reads
zitadel-same-page = ZITADEL sent the same page again instead of the next one, so the list could not be read to its end
zitadel-endless-pages = ZITADEL kept sending full pages ({ $pages } pages of { $size }), so the list was not read to its end
zitadel-listing-failed-earlier = The listing failed in an earlier page
zitadel-id-of-project = project
zitadel-id-of-app = app
zitadel-id-of-key = key
zitadel-not-an-id = "{ $id }" is not a ZITADEL { $kind } id; copy the id from the ZITADEL console or from `projects list` / `apps list`
zitadel-app-label-id = App { $id }
zitadel-app-label-name = App "{ $name }"
zitadel-key-file-missing = ZITADEL added key { $key } but sent no key file that could be read; delete that key and add another
zitadel-key-file-not-text = ZITADEL added key { $key } but its key file is not text; delete that key and add another
zitadel-address-not-web = "{ $address }" is not a web address; use the instance address, like https://example-abc123.zitadel.cloud
zitadel-address-no-host = The ZITADEL instance address has no host name; use one like https://example-abc123.zitadel.cloud
zitadel-address-plain-http = The ZITADEL instance address must start with https:// (plain http is allowed only for this computer); use { $address }
zitadel-address-scheme = The ZITADEL instance address must start with https://, not { $scheme }://
zitadel-address-no-management-path = The ZITADEL instance address cannot hold the management API path
zitadel-no-token = No personal access token given; create one for a service user in the ZITADEL console (Users > Service Users > Personal Access Tokens)
zitadel-token-bad-characters = The personal access token contains spaces, line breaks or other characters a token never has; copy it again
zitadel-token-is-hopae-key = This is a Hopae Connect workspace key (sk_workspace_…), not a ZITADEL personal access token; choose Hopae Connect to use it, or paste a service user's token
zitadel-not-an-org-id = "{ $id }" is not an organisation id; copy the id (digits, like 2987654321000001) from the organisation's page in the ZITADEL console
zitadel-add-key-not-key-app = "{ $name }" ({ $id }) does not sign in with a private key JWT, so it takes no keys; nothing was sent. A basic app uses its client secret instead
zitadel-import-pick-project = Pick a project in the toolbar first: the apps are created in it

## The network between the console and a server (src/backends/net/)

net-seconds = { $n } s
net-trust-fix = if your company's network inspects secure connections, or the server uses your company's own certificate authority, give that authority's certificate (a PEM file) with --ca-file FILE or CONNECT_CA_FILE, set SSL_CERT_FILE to a bundle that holds it, or choose "Certificate authority file…" in the connection dialog
net-proxy-timeout = Neither the { $proxy } nor { $target } behind it answered within { $wait }
net-invalid-host-name = { $host } is not a host name any computer can have (a part longer than 63 characters, or a character names cannot hold); check the address
net-cert-issued-self-signed = it is self-signed, by { $issuer }
net-cert-issued-by = it was issued by { $issuer }
net-cert-issued-unknown = it was issued by an unknown authority
net-cert-not-in-ca-file = , which is neither trusted on this computer nor in the certificate authority file { $path }
net-cert-not-trusted-here = , which is not trusted on this computer
net-cert-untrusted = The certificate of { $host } is not trusted: { $issued }{ $not_in }; { $fix }
net-cert-dates = The certificate of { $host } is outside its dates of validity (expired, or not yet valid); check that this computer's date and time are right, and if they are, tell the server's administrators
net-cert-other-name = The certificate presented for { $host } belongs to another name; check the address, and if it is right, something on the network may be answering in the server's place
net-cert-self-signed-authority = The certificate of { $host }{ $who } is self-signed and marked as a certificate authority, which cannot identify a server, trusted or not; ask the server's administrators for a certificate issued by an authority (their company's own will do, given with --ca-file)
net-cert-revoked = The certificate of { $host } was revoked by its authority; tell the server's administrators
net-cert-refused = The certificate of { $host } was refused ({ $cause }); tell the server's administrators, or { $fix }
net-handshake = The secure connection to { $host } could not be set up ({ $reason }); check that the address is right and that the server answers https there
net-dns-no-answer = The address of { $host } could not be looked up: no name server answered
net-unknown-host = No computer called { $host } could be found (the name does not resolve); check the address for typing mistakes, and on a company network that reaches the internet only through a proxy, set HTTPS_PROXY
net-proxy-bad-credentials = The { $proxy } refused the user name and password given in { $var }: it answered 407 Proxy Authentication Required; correct them in { $var } (http://USER:PASSWORD@host:port)
net-proxy-needs-credentials = The { $proxy } asks for a user name and password: it answered 407 Proxy Authentication Required; put them in { $var } as http://USER:PASSWORD@host:port
net-proxy-closed = The { $proxy } closed the connection when asked to open one to { $target }; check the proxy address in { $var }
net-proxy-not-found = The { $proxy } could not be found: no computer called { $host } resolves; check the proxy address in { $var }
net-proxy-unreachable = Could not reach the { $proxy }: { $reason }; check the proxy address in { $var }, or unset { $var } if this network needs no proxy
net-proxy-could-not-reach = The { $proxy } could not reach { $target }: it answered { $status } { $reason }; check the address, and if it is right, the server may be down or out of the proxy's reach
net-proxy-refused-status = The { $proxy } refused to open a connection to { $target }: it answered { $status } { $reason }; ask your network administrators to allow { $target }, or add its host to NO_PROXY if it can be reached without the proxy
net-proxy-refused = The { $proxy } refused to open a connection to { $target }; ask your network administrators to allow { $target }, or add its host to NO_PROXY if it can be reached without the proxy
net-io-no-answer = no answer
net-io-refused = the connection was refused
net-io-reset = the connection was reset
net-io-timed-out = it did not answer in time
net-proxy-named = proxy { $url } (from { $var })
net-proxy-not-web-address = The proxy address in { $var } is not a web address; correct it (for example http://proxy.example:3128) or unset { $var }
net-proxy-scheme = The proxy in { $var } uses { $scheme }://, which this console does not support; use an http:// or https:// proxy, or unset { $var }
net-proxy-unusable = The proxy address in { $var } could not be used; correct it or unset { $var }
net-http-client-failed = Could not start the HTTP client: { $error }
net-ca-file-problem = The certificate authority file { $path } { $problem }; choose the authority's certificate in PEM form (a file with -----BEGIN CERTIFICATE----- blocks)
net-ca-file-not-authority = The certificate authority file { $path } holds a certificate that cannot be used as an authority; choose the authority's certificate in PEM form (a file with -----BEGIN CERTIFICATE----- blocks)
net-certificate-checks-failed = Could not set up certificate checks: { $error }
net-tls-setup-failed = Could not set up TLS: { $error }
net-ssl-cert-file-problem = SSL_CERT_FILE names { $path }, which { $problem }; correct SSL_CERT_FILE or unset it
net-ssl-cert-file-not-authority = SSL_CERT_FILE names { $path }, which holds a certificate that cannot be used as an authority; correct SSL_CERT_FILE or unset it
net-ssl-cert-dir-unreadable = SSL_CERT_DIR names { $path }, which is not a folder that can be read ({ $reason }); correct SSL_CERT_DIR or unset it
net-file-unreadable = could not be read ({ $reason })
net-file-too-large = is larger than { $mb } MB, more than any certificate bundle
net-file-no-certificate = holds no certificate
net-file-malformed = holds a certificate block that cannot be read
net-file-is-folder = it is a folder
net-no-such-file = no such file
net-permission-denied = permission denied

## Writes and their words (src/ops/)

ops-redirect-uri-not-saved = The app was created, but its redirect URI was not saved ({ $reason }). Add it under Redirect URIs in the app's details.
ops-create-lost-not-found = { $error }. No app named "{ $name }" exists, so it was not created; try again
ops-create-lost-found = The answer to the create was lost, and an app named "{ $name }" now exists (app id { $id }). This run cannot tell whether it made that app or a colleague did at the same moment, so no secret was issued for it. If it is yours, rotate its secret (Rotate secret… in its details, or `connect-console apps rotate-secret { $id }`); otherwise create the app again under another name
ops-key-file-exists = { $path } already exists; a key file is never written over another file. Give a new file name
ops-key-file-not-created = { $path } could not be created ({ $error }); choose a folder you can write to
ops-not-a-key = The server answered something other than a key
ops-key-file-failed-deleted = Key { $key } was added, but its file could not be written ({ $error }), so the key was deleted again. Free some space or choose another folder, then add a key again
ops-key-file-failed-kept = Key { $key } was added, but its file could not be written ({ $error }), and the key could not be deleted again. Delete key { $key } (no one has its file), then add another
ops-keys-not-listed = they could not be listed
ops-key-add-unknown = { $error }. It is not known whether a key was added; if one was, its key file was not received, so it cannot be used. The app's keys now: { $keys }. Delete any key you cannot account for, then add a key again
ops-keys-none = none
ops-key-expires = { $key } (expires { $expires })
ops-key-never-expires = { $key } (never expires)
ops-the-workspace = the workspace
write-app-named = "{ $name }" ({ $id })
write-app-quoted = "{ $name }"
write-summary-create = Create the app "{ $name }".
write-summary-rename = Rename { $app } to "{ $name }".
write-summary-rotate-secret = Rotate the client secret of { $app }.
write-summary-redirect-uris = Replace the redirect URIs of { $app } with { $count } address(es).
write-summary-reactivate = Reactivate { $app }.
write-summary-deactivate = Deactivate { $app }.
write-summary-webhook = Change the webhook of { $app } ({ $fields }).
write-summary-rotate-webhook-secret = Rotate the webhook secret of { $app }.
write-summary-add-key = Add a key to { $app } (expires { $expires }).
write-summary-delete-key = Delete key { $key } of { $app }: whatever signs with it stops working.
write-summary-create-workflow = Create the workflow "{ $workflow }" ({ $count } nodes) on { $app }.
write-summary-update-workflow = Replace the workflow "{ $workflow }" ({ $workflow_id }) of { $app } with { $count } nodes.
write-done-create = Created "{ $name }"
write-done-rename = Renamed to "{ $name }"
write-done-rotate-secret = New client secret issued for { $app }; the old one no longer works
write-done-redirect-uris = Saved { $count } redirect URI(s) of { $app }
write-done-reactivate = Reactivated { $app }
write-done-deactivate = Deactivated { $app }
write-done-webhook = Saved the webhook of { $app }
write-done-rotate-webhook-secret = New webhook secret issued for { $app }
write-done-add-key = Added a key to { $app }
write-done-delete-key = Deleted key { $key }
write-done-create-workflow = Created workflow "{ $workflow }"
write-done-update-workflow = Saved workflow "{ $workflow }"
write-failed-create = "{ $name }" was not created
write-failed-rename = The name of { $id } was not changed
write-failed-rotate-secret = The secret of { $id } was not rotated; the current secret still works
write-failed-redirect-uris = The redirect URIs of { $id } were not saved
write-failed-reactivate = { $id } was not reactivated
write-failed-deactivate = { $id } was not deactivated
write-failed-webhook = The webhook of { $id } was not changed
write-failed-rotate-webhook-secret = The webhook secret of { $id } was not rotated; the current one still works
write-failed-add-key = No key was added to { $id }
write-failed-delete-key = Key { $key } was not deleted
write-failed-create-workflow = The workflow "{ $workflow }" was not created
write-failed-update-workflow = The workflow "{ $workflow }" was not changed

## The background runtime (src/runtime/) and the export (src/export.rs)

runtime-sandbox-start-failed = Could not start the local sandbox: { $error }
runtime-start-failed = Could not start the background runtime: { $error }
runtime-no-activity-log = There is no activity log: this account has no home folder to keep it in
runtime-no-saved-key = No API key is saved for this address; paste the workspace's API key
runtime-local-sandbox-failed = Could not start the local sandbox ({ $error }); try again, or restart the console
runtime-import-not-started = The import could not start: { $error }
runtime-no-journal-folder = No folder for the import journal
runtime-file-not-saved = Could not save { $path }: { $error }. Choose another folder or free some disk space
runtime-image-not-saved = Could not save the image ({ $error }). Choose another folder and try again: { $path }
runtime-image-empty = The graph area is empty, so there is no image to save
runtime-no-file-manager = No file manager could be started ({ $opener }: { $error })
runtime-file-manager-failed = The file manager did not open ({ $opener } answered { $status })
runtime-filter-csv = CSV files
runtime-filter-all = All files
runtime-filter-png = PNG image
runtime-filter-keys = Key files
export-format-unknown = "{ $text }" is not one of csv, json

## A server's refusal, worded from its code where the console does not speak English (the
## English console shows the server's own words).
error-server-app-not-found = App { $id } was not found in this workspace
error-server-workflow-not-found = Workflow { $id } was not found
error-server-not-found = What was asked for was not found
error-server-missing-parameter = { $parameter } is required
error-server-invalid-parameter = The server refused { $parameter }: { $server }
error-server-refused = The server refused the request: { $server }
error-server-unauthorized = The API key was refused
error-server-forbidden = This API key may not do this
error-server-conflict = It clashes with the workspace as it is now: { $server }
error-server-rate-limited = Too many requests
error-server-key-conflict = This idempotency key was already used for a different request
error-server-in-progress = The same request is still being handled
error-server-internal = The server failed while handling the request
write-workflow-changed-on-server = Someone changed this workflow on the server since you opened it

## The command line (src/cli, src/main.rs): errors, prompts, warnings, progress and the plain-text
## tables. `--json` output, `-v` logs and `--help` stay as they are.

## Lines of every command

cli-error = error: { $message }
cli-warning = warning: { $message }
cli-runtime-failed = could not start the async runtime: { $error }
cli-no-window-hint = The command line still works without a window; see `connect-console --help`.
cli-json-failed = could not write JSON: { $error }
cli-read-answer-failed = could not read the answer: { $error }
cli-unexpected-answer = The server's answer did not match the change asked for
cli-create-other-answer = The server answered a create with something else
cli-not-configured = No workspace is configured. Set CONNECT_API_KEY to a workspace API key (and CONNECT_BASE_URL for a server other than Hopae's), or pass --api-key and --base-url. To try it without an account, run `connect-console sandbox --demo` and use CONNECT_BASE_URL=http://127.0.0.1:8787/connect/v1 CONNECT_API_KEY=sk_workspace_test_demo
cli-production-note = note: connected to a PRODUCTION workspace
cli-hopae-no-keys = Hopae Connect apps have no keys: keys belong to ZITADEL apps that sign in with a private key JWT (--backend zitadel)
cli-flag-problem = { $flag }: { $error }
cli-flag-problem-nothing-sent = { $flag }: { $error }. Nothing was sent

## Confirmations: `$what` is one of the cli-what-… phrases

cli-confirm-refused = Not done without a confirmation in the production workspace { $place }: { $what }; nothing was sent. Add --yes to confirm
cli-refused-unconfirmed = Not done without a confirmation: { $what }; nothing was sent. Add --yes to confirm
cli-confirm-production = { $place } is a PRODUCTION workspace: changes reach real customers at once.
cli-confirm-type-yes = { $what }? Type yes to go on:
cli-cancelled = Cancelled; nothing was changed
cli-cancelled-secret = Cancelled; the secret was not changed
cli-cancelled-webhook-secret = Cancelled; the webhook secret was not changed
cli-cancelled-key = Cancelled; the key was not deleted
cli-confirm-rotate-secret = The current secret of { $app } will stop working immediately. Rotate it? [y/N]
cli-confirm-issue-secret = The current secret of { $app } will stop working immediately. Issue a new one? [y/N]
cli-confirm-rotate-webhook-secret = Signatures made with the current webhook secret of { $app } will stop verifying immediately. Rotate it? [y/N]
cli-confirm-reactivate = { $app } will accept logins again. Reactivate it? [y/N]
cli-confirm-deactivate = { $app } will stop accepting logins until it is reactivated. Deactivate it? [y/N]
cli-confirm-delete-key = Delete key { $key } of { $app }; whatever signs with that key stops working at once? [y/N]
cli-what-create-app = Create the app "{ $name }"
cli-what-rename = Rename { $app } to "{ $name }"
cli-what-replace-redirect-uris = Replace the redirect URIs of { $app } with { $count } address(es)
cli-what-rotate-secret = Rotate the secret of { $app }
cli-what-change-webhook = Change the webhook of { $app } ({ $fields })
cli-what-rotate-webhook-secret = Rotate the webhook signing secret of { $app }
cli-what-reactivate = Reactivate { $app }
cli-what-deactivate = Deactivate { $app }
cli-what-add-key = Add a key to { $app }
cli-what-delete-key = Delete key { $key } of { $app } (whatever signs with that key stops working at once)
cli-what-import = Import { $count } row(s) from { $file }
cli-what-create-workflow = Create the workflow "{ $name }" on { $app }
cli-what-replace-workflow = Replace the workflow { $workflow } of { $app } with the { $count } node(s) of { $path }

## Secrets

cli-secret-warning = warning: this client secret is shown only once. Store it now (for example in a password manager); it cannot be displayed again.
cli-previous-secret-gone = The previous secret no longer works.
cli-webhook-secret-warning = warning: this webhook signing secret is shown only once. Store it now where your webhook receiver reads it; signatures made with the previous secret no longer verify, so let the receiver accept both until it has the new one.

## Table headers

cli-col-id = ID
cli-col-app = APP
cli-col-app-id = APP ID
cli-col-client-id = CLIENT ID
cli-col-name = NAME
cli-col-redirect-uris = REDIRECT URIS
cli-col-workflows = WORKFLOWS
cli-col-workflow-id = WORKFLOW ID
cli-col-nodes = NODES
cli-col-entry-node = ENTRY NODE
cli-col-default = DEFAULT
cli-col-project-id = PROJECT ID
cli-col-state = STATE
cli-col-auth = AUTH
cli-col-key-id = KEY ID
cli-col-type = TYPE
cli-col-expires = EXPIRES
cli-col-created = CREATED
cli-col-countries = COUNTRIES
cli-col-loa = LOA
cli-col-enabled = ENABLED
cli-col-activation = ACTIVATION
cli-col-still-required = STILL REQUIRED
cli-col-time-utc = TIME (UTC)
cli-col-workspace = WORKSPACE
cli-col-action = ACTION
cli-col-detail = DETAIL
cli-col-request-id = REQUEST ID
cli-col-outcome = OUTCOME
cli-col-row = ROW
cli-col-status = STATUS
cli-col-problem = PROBLEM
cli-col-node-id = NODE ID
cli-col-node = NODE
cli-col-mark = MARK
cli-col-summary = SUMMARY
cli-col-next = NEXT
cli-col-severity = SEVERITY
cli-col-label = LABEL
cli-col-settings = SETTINGS (* required)

## Field labels (`apps get` and the like)

cli-field-app-id = App ID
cli-field-client-id = Client ID
cli-field-name = Name
cli-field-client-secret = Client secret
cli-field-new-client-secret = New client secret
cli-field-new-webhook-secret = New webhook secret
cli-field-redirect-uris = Redirect URIs
cli-field-providers = Providers
cli-field-webhook = Webhook
cli-field-workflows = Workflows
cli-field-organization = Organization
cli-field-address = Address
cli-field-events = Events
cli-field-retry-attempts = Retry attempts
cli-field-timeout-seconds = Timeout (s)
cli-field-type = Type
cli-field-state = State
cli-field-auth-method = Auth method
cli-field-project = Project
cli-field-created = Created
cli-field-changed = Changed

## Values in tables and fields

cli-yes = yes
cli-no = no
cli-on = on
cli-off = off
cli-webhook-on-at = on: { $url }
cli-no-url-paren = (no URL)
cli-not-set = not set
cli-not-returned = not returned
cli-not-returned-paren = (not returned)
cli-secret-hidden = {"***"} (hidden)
cli-none-enabled = none enabled
cli-none-paren = (none)
cli-default-paren = (default)
cli-default-value = { $value } (default)
cli-never = never
cli-unknown = unknown
cli-state-active = active
cli-state-inactive = inactive
cli-kind-other = other
cli-mark-entry = entry
cli-mark-end = end
cli-severity-error = error
cli-severity-warning = warning

## apps

cli-apps-count = { $count } app(s)
cli-renamed = Renamed { $app } to "{ $name }"
cli-already-named = { $app } is already named "{ $name }"; nothing to change
cli-redirect-uris-now-none = { $app } now has { $count } redirect URI(s)
cli-redirect-uris-now = { $app } now has { $count } redirect URI(s): { $uris }
cli-webhook-unchanged = The webhook of { $app } already has these settings; nothing was sent
cli-webhook-no-address = The webhook of { $app } has no address to deliver to; add --url https://…
cli-webhook-changed = Changed: { $fields }
cli-providers-count = { $count } provider(s)
cli-exported = { $count } app(s) exported
cli-exported-to = { $count } app(s) exported to { $path }
cli-export-no-folder = The folder { $folder } does not exist; create it or give a file in another folder
cli-export-save-failed = Could not save { $path }: { $error }. Choose another folder or free some disk space
cli-export-write-failed = could not write the export: { $error }
cli-export-no-external-ids = note: external ids are left empty: { $error }

## ZITADEL

cli-zitadel-not-configured = No ZITADEL instance is configured. Set CONNECT_BASE_URL to the instance address (like https://example-abc123.zitadel.cloud) and CONNECT_API_KEY to a service user's personal access token, or pass --base-url and --api-key. To try it without an instance, run `connect-console sandbox --zitadel --demo` and use CONNECT_BASE_URL=http://127.0.0.1:8787 CONNECT_API_KEY=FAKE_PAT_demo
cli-zitadel-no-project = No ZITADEL project is chosen. Pass --project ID or set ZITADEL_PROJECT_ID; `connect-console projects list --backend zitadel` shows the project ids
cli-zitadel-no-workflows = ZITADEL apps have no verification workflows; these commands work with a Hopae Connect workspace (--backend hopae)
cli-zitadel-only = Hopae Connect apps have no auth method choice and cannot be deactivated; --auth-method, `apps deactivate` and `apps reactivate` work with a ZITADEL instance (--backend zitadel)
cli-hopae-no-projects = Hopae Connect workspaces have no projects; `projects list` works with a ZITADEL instance (--backend zitadel)
cli-zitadel-create-no-redirect-uris = ZITADEL API apps have no redirect URIs; leave out --redirect-uri
cli-zitadel-no-redirect-uris = ZITADEL API applications have no redirect URIs; they belong to OIDC applications
cli-zitadel-hopae-only = ZITADEL API applications have no webhooks or identity-provider catalog here, and export writes the Hopae import's format; these commands work with a Hopae Connect workspace (--backend hopae)
cli-zitadel-choose-auth-method = Choose how the app authenticates: --auth-method basic (a client secret, printed once) or --auth-method private-key-jwt (keys, no secret)
cli-zitadel-secret-add-key = none: the app signs with keys; add one in the ZITADEL console
cli-zitadel-secret-hidden = hidden (shown only when created or regenerated)
cli-zitadel-secret-keys = none: the app signs with keys
cli-zitadel-secret-elsewhere = managed in the ZITADEL console
cli-projects-count = { $count } project(s)
cli-already-active = { $app } is already active; nothing to change
cli-already-inactive = { $app } is already inactive; nothing to change
cli-reactivated = Reactivated { $app }
cli-deactivated = Deactivated { $app }

## apps keys

cli-key-expired = { $date } (expired)
cli-keys-count = { $count } key(s) of { $app }
cli-key-file-exists = { $path } already exists; a key file is never written over another file. Nothing was sent. Give a new file name
cli-key-app-not-jwt = { $app } does not sign in with a private key JWT, so it takes no keys; nothing was sent. A basic app uses its client secret (apps rotate-secret)
cli-key-added = Added key { $key } to { $app }; it expires { $expires }.
cli-key-file = Key file: { $path }
cli-key-only-copy = The key file is the only copy: ZITADEL shows a key once. Keep it somewhere safe; anyone with it can sign in as this app.
cli-key-deleted = Deleted key { $key } of { $app }

## import

cli-import-secrets-warning = warning: the secrets file holds the client secret of every new app. It is readable only by you; hand each secret to its customer over a safe channel, then delete the file. The secrets are not shown again.
cli-import-progress = { $done } of { $total } rows, { $failed } failed, { $rate } rows/s
cli-import-progress-eta = { $done } of { $total } rows, { $failed } failed, { $rate } rows/s, about { $seconds } s left
cli-import-results-written = Results written to { $path }
cli-import-key-files-written = { $count } app(s) have their key file in { $dir }
cli-import-secrets-added = { $count } new client secret(s) added to { $path }
cli-import-stopped = The import stopped early: { $reason }
cli-import-dry-run-summary = Dry run, nothing was sent: { $summary }
cli-import-retry-hint = Run the same command again to retry the rows that were not created; rows already created are not created twice.
cli-import-keys-dir-unused = --keys-dir is for apps that sign with keys: add --auth-method private-key-jwt, or leave it out
cli-import-keys-dir-needed = Give --keys-dir DIR: each new private-key-jwt app gets a key, and its key file (shown by ZITADEL once) is written into that folder. Nothing was sent
cli-import-keys-dir-is-file = --keys-dir { $dir } is a file, not a folder. Nothing was sent
cli-import-output-is-input = { $flag } names the file being imported ({ $path }); give another file name
cli-import-output-folder-missing = The folder { $folder } of { $flag } does not exist. Nothing was sent. Create it, or give a file in another folder
cli-import-results-are-secrets = --results and --secrets name the same file ({ $path }); the results would overwrite the secrets. Give two different files
cli-import-not-compared = No workspace configured: rows are not compared with existing apps (set CONNECT_API_KEY, and CONNECT_BASE_URL where needed, to compare)
cli-import-compared = Compared with the { $count } app(s) of { $place }
cli-place-project = project { $project }
cli-import-secrets-needed = Give --secrets FILE.csv: the client secrets of the new apps are shown only once, and are saved to that file (readable only by you). Use --dry-run to check the file first
cli-import-existing-create-note = note: --existing create makes a second app for every row whose name exists already
cli-import-stopping = Stopping after the apps already sent...
cli-import-keys-note = The new apps sign with keys (private-key-jwt): each gets one key, expiring { $expiry }, its key file written to { $dir } (ZITADEL shows a key once).
cli-import-file = { $file }: { $count } row(s), encoding { $encoding }, delimiter { $delimiter }
cli-import-file-guessed = { $file }: { $count } row(s), encoding { $encoding } (guessed; use --encoding to change), delimiter { $delimiter }
cli-import-ignored-columns = Ignored columns: { $columns }
cli-row-created = created
cli-row-created-earlier = created earlier
cli-row-failed = failed
cli-row-invalid = invalid
cli-row-skipped = skipped
cli-row-exists = exists
cli-row-updated = updated
cli-row-ready = ready
cli-row-update = update

## activity

cli-activity-unknown-action = "{ $action }" is not an action; use one of { $actions }
cli-activity-empty = No activity recorded yet in { $path } (writes made from this computer are listed here)
cli-activity-ok = ok
cli-activity-failed = failed
cli-activity-failed-because = failed: { $error }
cli-activity-count = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
} from { $path }

## workflows

cli-workflow-heading = Workflow { $id } "{ $name }": { $count } node(s), entry { $entry }
cli-workflow-heading-default = Workflow { $id } "{ $name }" (default): { $count } node(s), entry { $entry }
cli-workflow-problems-hint = { $count } problem(s); run with --lint to list them
cli-workflow-no-problems = No problems found
cli-workflow-has-errors = workflow "{ $name }" has { $errors } error(s) and { $warnings } warning(s)
cli-workflow-warnings-only = { $count } warning(s), no errors
cli-app-no-workflows = App { $app } has no workflows
cli-app-no-such-workflow = App { $app } has no workflow with id or name "{ $wanted }". Its workflows: { $workflows }
cli-simulate-which-workflow = Name the workflow to simulate: --file WORKFLOW.json, or an app's client id
cli-simulate-mock-format = --mock takes NODE_ID=FILE (for example --mock nd_verify=other.json), not "{ $value }"
cli-simulate-mock-unused = note: the workflow has no verification node "{ $node }", so its mock is not used
cli-file-kind-userinfo = userinfo
cli-file-kind-mock = mock userinfo for { $node }
cli-file-kind-workflow = workflow
cli-file-read-failed = Could not read the { $what } file { $path }: { $error }
cli-file-not-json = The { $what } file { $path } is not valid JSON: { $error }
cli-file-not-object = The { $what } file { $path } must hold a JSON object, not { $kind }
cli-json-kind-bool = true or false
cli-json-kind-number = a number
cli-json-kind-string = a string
cli-json-kind-list = a list
cli-json-kind-object = an object
cli-workflow-file-no-nodes = The workflow file { $path } does not hold a workflow (a JSON object with a "nodes" list)
cli-workflow-file-unreadable = The workflow file { $path } is not a workflow the console can read: { $error }
cli-workflow-file-no-name = The workflow in { $path } has no "name"; give it one
cli-lint-line = { $severity }: { $message }
cli-lint-line-node = { $severity }: node { $node }: { $message }
cli-workflow-file-errors = { $count } error(s) in { $path }; nothing was sent. Fix them and run the command again
cli-workflow-other-answer = The server answered with something other than a workflow
cli-workflow-saved = Workflow "{ $name }" ({ $id }) saved: { $count } node(s), entry { $entry }

## sandbox (the first line, "listening on URL", stays English: scripts read the address)

cli-sandbox-start-failed = could not start the sandbox on port { $port }: { $error }
cli-sandbox-ready = { $apps } app(s) in the workspace; press Ctrl-C to stop
cli-sandbox-zitadel-ready = ZITADEL instance: { $projects } project(s), { $apps } app(s); tokens starting with { $prefix } are accepted; organisations { $home } (home) and { $partner } (x-zitadel-orgid); press Ctrl-C to stop
