## Connect Console: 한국어 메시지. 아이디와 변수는 영어 카탈로그와 같습니다.
## A message the same as in English is marked with a comment `# same-as-english` above it.

## 공통 단어와 언어 설정

common-cancel = 취소
common-close = 닫기
common-save = 저장
common-done = 완료
common-retry = 다시 시도
common-back = 이전
common-next = 다음
common-ok = 확인
common-yes = 예
common-no = 아니요
common-copy = 복사
common-copied = 복사했습니다
common-browse = 찾아보기…
common-none = 없음
common-loading = 불러오는 중…
language-label = 언어
language-system = 시스템 설정
language-applied = 표시 언어를 바꿨습니다: { $language }

## 셸: 도구 모음, 명령, 명령 팔레트, 상태 줄, 알림, 클립보드, 키 저장소

clipboard-copied-path = 경로를 복사했습니다
clipboard-copied-client-id = 클라이언트 ID를 복사했습니다
clipboard-copied-app-id = 앱 ID를 복사했습니다
clipboard-copied-request-id = 요청 ID를 복사했습니다
clipboard-what-client-id = 클라이언트 ID
clipboard-what-app-id = 앱 ID
clipboard-what-request-id = 요청 ID
# 작은 "복사" 버튼: 도움말과 화면 낭독기가 읽는 이름("클라이언트 ID Ab12 복사").
clipboard-copy-hover = { $what } 복사
clipboard-copy-name = { $what } { $value } 복사
clipboard-unavailable = 이 시스템에서는 클립보드를 사용할 수 없습니다. 시크릿을 선택해 직접 복사하세요
clipboard-copy-failed = 클립보드에 복사하지 못했습니다: { $error }
# "클라이언트 ID와 함께 복사"로 복사되는 두 줄의 머리말(값은 각 머리말 뒤에 붙습니다).
clipboard-pair-client-id = 클라이언트 ID
clipboard-pair-client-secret = 클라이언트 시크릿

## 명령: 레이블(명령 팔레트, 도구 모음, 단축키 목록), 도구 모음의 짧은 레이블, 도움말

command-palette = 명령 팔레트…
command-create-app = 앱 만들기…
command-import-csv = CSV 가져오기…
command-refresh = 새로 고침
command-focus-search = 앱 검색
command-rotate-selected-secret = 선택한 앱의 시크릿 재발급…
command-edit-redirect-uris = 선택한 앱의 리디렉션 URI 편집
command-open-workflow = 선택한 앱의 워크플로 열기
command-connect = 연결…
command-show-activity = 활동 기록
command-export-csv = 앱을 CSV로 내보내기…
command-export-json = 앱을 JSON으로 내보내기…
command-select-all = 목록의 앱 모두 선택
command-light-mode = 밝은 모드로 전환
command-dark-mode = 어두운 모드로 전환
command-show-shortcuts = 키보드 단축키
command-close = 닫기
command-zoom-in = 확대
command-zoom-out = 축소
command-fit-graph = 그래프를 창에 맞추기
command-node-above = 위쪽 노드 선택
command-node-below = 다음 노드 선택
command-previous-app = 위쪽 앱 선택
command-next-app = 아래쪽 앱 선택
command-page-up-apps = 한 페이지 위의 앱 선택
command-page-down-apps = 한 페이지 아래의 앱 선택
command-first-app = 첫 번째 앱 선택
command-last-app = 마지막 앱 선택
command-node-left = 왼쪽 노드 선택
command-node-right = 오른쪽 노드 선택
command-quit = 종료

command-palette-short = 명령…
command-show-activity-short = 활동 기록
command-show-shortcuts-short = 단축키
command-light-mode-short = 밝은 모드
command-dark-mode-short = 어두운 모드

command-palette-description = 입력해서 명령이나 앱을 찾습니다
command-create-app-description = 새 앱을 만들고 시크릿을 한 번만 보여 줍니다
command-import-csv-description = 스프레드시트로 여러 앱을 한꺼번에 만듭니다(CSV 파일을 창에 끌어다 놓아도 됩니다)
command-refresh-description = 앱 목록을 다시 불러옵니다
command-focus-search-description = 이름이나 클라이언트 ID로 앱을 검색합니다
command-rotate-selected-secret-description = 선택한 앱의 클라이언트 시크릿을 새로 발급합니다
command-edit-redirect-uris-description = 선택한 앱이 사용자를 보낼 수 있는 주소를 바꿉니다
command-open-workflow-description = 선택한 앱의 워크플로를 그래프로 보여 줍니다
command-connect-description = 다른 워크스페이스나 인스턴스에 연결합니다
command-show-activity-description = 이 컴퓨터에서 한 모든 변경 사항을 요청 ID와 함께 보여 줍니다
command-export-csv-description = 선택한 앱(선택이 없으면 전체)을 시크릿 없이 가져오기용 CSV로 저장합니다
command-export-json-description = 선택한 앱(선택이 없으면 전체)을 시크릿 없이 JSON으로 저장합니다
command-select-all-description = 내보낼 수 있도록 목록에 보이는 앱을 모두 선택합니다
command-toggle-theme-description = 어두운 모드와 밝은 모드를 전환합니다
command-show-shortcuts-description = 이 목록을 보여 줍니다
command-close-description = 가져오기나 워크플로 그래프를 닫습니다
command-zoom-in-description = 워크플로 그래프를 확대합니다
command-zoom-out-description = 워크플로 그래프를 축소합니다
command-fit-graph-description = 워크플로 그래프를 창 크기에 맞춥니다
command-node-above-description = 그래프에서 이 노드로 이어지는 위쪽 노드로 이동합니다
command-node-below-description = 그래프에서 아래쪽 다음 노드로 이동합니다
command-previous-app-description = 목록에서 선택을 위로 옮깁니다
command-next-app-description = 목록에서 선택을 아래로 옮깁니다
command-page-up-apps-description = 선택을 앱 10개만큼 위로 옮깁니다
command-page-down-apps-description = 선택을 앱 10개만큼 아래로 옮깁니다
command-first-app-description = 목록의 첫 번째 앱을 선택합니다
command-last-app-description = 목록의 마지막 앱을 선택합니다
command-node-left-description = 그래프에서 같은 줄의 왼쪽 노드로 이동합니다
command-node-right-description = 그래프에서 같은 줄의 오른쪽 노드로 이동합니다
command-quit-description = 콘솔을 닫습니다

## 배너, 프로젝트 선택, 내보내기, 창

shell-banner-organization = { $backend } · { $url } · 조직 { $org }
shell-banner-local-sandbox = 로컬 샌드박스 - 데모 데이터
shell-banner-local-server = 이 컴퓨터의 서버 · { $url }
shell-banner-hopae-sandbox = Hopae 샌드박스 · { $url }
shell-banner-production = 운영 환경 · { $url } · 변경 사항이 실제 고객에게 영향을 줍니다
shell-no-project = 프로젝트 없음
shell-project = 프로젝트
shell-no-projects = 이 조직에는 프로젝트가 없습니다
shell-exported-to = 내보냈습니다: { $path }
shell-nothing-to-export = 내보낼 앱이 없습니다. 목록이 비어 있습니다
# 운영 체제의 저장·열기 대화 상자 제목.
shell-export-json-title = 앱을 JSON으로 내보내기
shell-export-csv-title = 앱을 CSV로 내보내기
shell-key-file-title = 키 파일 저장(다시 내려받을 수 없음)
shell-ca-file-title = 인증 기관(CA) PEM 파일 선택
shell-store-secret-before-closing = 닫기 전에 시크릿을 안전한 곳에 보관하고 확인란을 선택하세요
shell-no-api-key = { $url } 주소에 사용할 API 키가 없습니다. CONNECT_API_KEY 환경 변수를 설정하거나 "연결…"에서 한 번 연결해 키를 시스템 키링에 저장하세요
shell-window-not-opened = 창을 열 수 없습니다: { $error }

## 상태 줄과 "HOST 서버의 응답을 기다리는 중…"

status-loading-progress = 앱을 불러오는 중: { $total }개 중 { $loaded }개
status-loading-apps = 앱을 불러오는 중…
status-app-count = 앱 { $count }개
status-loading-failed = 불러오지 못했습니다: { $error }
status-try-again = 다시 시도
status-still-waiting = { $host } 서버의 응답을 기다리는 중…
status-stop-waiting-hover = 대기를 중단합니다. 나중에 다시 보내도 두 번 처리되지 않습니다
# 오래 걸리는 호출이 하는 일("… 기다리는 중…"의 도움말).
status-loading-apps-from = { $host } 서버에서 앱을 불러오는 중
status-checking-connection = 연결을 확인하는 중
status-load-cancelled = 불러오기를 취소했습니다. 목록에는 이전에 불러온 내용이 표시됩니다. 다시 시도하려면 새로 고침(F5)을 누르세요
status-check-cancelled = 연결 확인을 취소했습니다. 아무것도 바뀌지 않았습니다
status-request-cancelled = 서버가 응답하기 전에 요청을 취소했습니다

## 알림: 실패한 변경, 메시지, 변경과 관계없는 실패

notice-dismiss = 닫기
notice-retry-hover = 같은 요청을 다시 보냅니다(두 번 처리되지 않습니다)
notice-unknown-outcome-rotate = 결과를 알 수 없습니다. 시크릿이 이미 재발급되었을 수 있습니다. 다시 시도하면 같은 요청을 다시 보내므로 두 번 재발급되지 않으며, 새 시크릿이 있으면 보여 줍니다.
notice-unknown-outcome-create-app = 결과를 알 수 없습니다. 앱이 이미 만들어졌을 수 있습니다. 다시 시도하면 같은 요청을 다시 보내므로 앱이 두 개 만들어지지 않습니다.
notice-unknown-outcome-create-workflow = 결과를 알 수 없습니다. 워크플로가 이미 만들어졌을 수 있습니다. 다시 시도하면 같은 요청을 다시 보내므로 워크플로가 두 개 만들어지지 않습니다.
notice-unknown-outcome-add-key = 결과를 알 수 없습니다. 키가 추가되었을 수 있지만 키 파일을 받지 못해 그 키는 사용할 수 없습니다. 출처를 알 수 없는 키는 삭제한 뒤 키를 다시 추가하세요.
notice-unknown-outcome-change = 결과를 알 수 없습니다. 변경이 이미 적용되었을 수 있습니다. 다시 시도하면 같은 변경을 다시 보냅니다.
notice-request-id = 요청 ID { $id }
notice-copy-request-id = 요청 ID 복사
notice-activity-not-written = 활동 기록을 저장하지 못했습니다
notice-activity-not-written-detail = { $reason }. 변경 자체는 적용되었습니다. 디스크 상태와 폴더 권한을 확인하세요
notice-folder-not-opened = 폴더를 열 수 없습니다
notice-folder-not-opened-detail = { $error }. 파일 위치: { $path }. "경로 복사"로 경로를 복사한 뒤 파일 관리자에서 여세요
notice-created-without-redirect-uri = "{ $name }" 앱을 만들었지만 리디렉션 URI는 설정하지 못했습니다
notice-created-signs-with-keys = "{ $name }" 앱을 만들었습니다. 이 앱은 키(private key JWT)로 서명하므로 클라이언트 시크릿이 없습니다
notice-created-without-secret = "{ $name }" 앱을 만들었지만 서버가 시크릿을 돌려주지 않았습니다
notice-created-without-secret-detail = 앱 세부 정보에서 시크릿을 재발급해 새 시크릿을 받으세요
notice-key-added = { $app } 앱에 키를 추가했습니다: { $key }
notice-key-deleted = 키를 삭제했습니다: { $key }
notice-key-saved = 키를 추가했습니다: { $key }. 만료: { $expires }. 키 파일은 { $path } 위치에 저장되었으며(본인만 읽을 수 있음) 다시 내려받을 수 없습니다
notice-export-not-saved = 내보낸 파일을 저장하지 못했습니다
notice-no-key-added = 키를 추가하지 못했습니다
notice-no-dialog-key-file = 이 시스템에서는 파일 대화 상자를 열 수 없어 키 파일을 저장할 곳이 없습니다. 명령줄에서 키를 추가하세요: connect-console apps keys add APP --output FILE
notice-no-dialog-type-path = 이 시스템에서는 파일 대화 상자를 열 수 없습니다. 입력란에 파일 경로를 입력하세요
notice-no-dialog-type-or-drop = 이 시스템에서는 파일 대화 상자를 열 수 없습니다. 입력란에 파일 경로를 입력하거나 파일을 창에 끌어다 놓으세요
notice-no-dialog-type-save-path = 이 시스템에서는 파일 대화 상자를 열 수 없습니다. 버튼 옆 입력란에 저장할 파일의 경로를 입력하세요
notice-no-file-dialog = 파일 대화 상자를 열 수 없음

## 명령 팔레트

palette-label = 명령 또는 앱
palette-hint = 명령, 앱 이름 또는 클라이언트 ID를 입력하세요
palette-no-match = 일치하는 항목이 없습니다. 글자 수를 줄여 보세요.
palette-more = …외 { $count }개 더 있습니다. 글자를 더 입력하세요
palette-open-app = { $name } 열기
palette-show-workflow = { $name } 워크플로 보기

## API 키를 보관하는 곳(배너)

keystore-environment = CONNECT_API_KEY 환경 변수의 API 키
keystore-keyring = 시스템 키링에 저장된 API 키
keystore-this-run-only = 시스템 키링을 사용할 수 없어 API 키를 이번 실행 동안만 보관합니다

## 앱 목록, 앱 세부 정보, 웹훅, 인증 제공자, 키, 대화 상자, 연결 대화 상자, 활동 기록

## 앱 목록 (src/ui/apps_list.rs)

apps-column-name = 이름
apps-column-client-id = 클라이언트 ID
apps-column-redirect-uris = 리디렉션 URI
apps-column-workflows = 워크플로
apps-column-state = 상태
apps-column-auth-method = 인증 방식
apps-kind-app = { $kind } 앱
apps-kind-other = 기타
apps-state-active = 활성
apps-state-inactive = 비활성
apps-search-label = 검색
apps-search-hint = 이름 또는 클라이언트 ID  (Ctrl+F)
apps-search-clear = 지우기
apps-count-shown = 앱 { $total }개 중 { $shown }개
apps-no-match-filters = 검색어와 필터에 맞는 앱이 없습니다
apps-no-match = 검색어 "{ $search }"에 맞는 앱이 없습니다
apps-clear-search-filters = 검색어와 필터 지우기
apps-filter-webhook = 웹훅
apps-filter-any = 전체
apps-filter-on = 켜짐
apps-filter-off = 꺼짐
apps-filter-provider = 인증 제공자
apps-filter-no-redirect-uris = 리디렉션 URI 없음
apps-export = 내보내기
apps-export-scope-listed = 목록에 보이는 앱을 시크릿 없이 내보냅니다
apps-export-scope-selected = 선택한 앱 { $count }개를 시크릿 없이 내보냅니다
apps-export-csv = 가져오기용 CSV로…
apps-export-json = JSON으로…
apps-export-tooltip = { $scope }. 행을 Ctrl+클릭이나 Shift+클릭하거나 Ctrl+A를 눌러 앱을 선택하세요
apps-clear-selection = 선택 해제
apps-selected-count = { $count }개 선택됨
apps-badge-no-redirect-uris = 리디렉션 URI 없음
apps-badge-no-redirect-uris-tooltip = 리디렉션 URI를 추가하기 전에는 이 앱으로 아무도 로그인할 수 없습니다
apps-loading = 앱을 불러오는 중…
apps-loading-progress = 앱을 불러오는 중… { $total }개 중 { $loaded }개
apps-load-failed = 앱을 불러오지 못했습니다
apps-empty-title = 아직 앱이 없습니다
apps-empty-hint = "앱 만들기…"(Ctrl+N)로 첫 앱을 만드세요.

## 앱 세부 정보 (src/ui/details.rs)

details-pick-project = 도구 모음에서 프로젝트를 선택하세요
details-select-app = 앱을 선택하면 세부 정보가 표시됩니다
details-tab-overview = 개요
details-tab-webhook = 웹훅
details-tab-providers = 인증 제공자
details-keys = 앱 키
details-part-name = 이름
details-part-redirect-uris = 리디렉션 URI
details-part-webhook = 웹훅
details-problem-name = 이름: { $problem }
details-problem-redirect-uris = 리디렉션 URI: { $problem }
details-problem-webhook = 웹훅: { $problem }
details-save-name = 이름 저장
details-reset = 되돌리기
details-saving = 저장하는 중…
details-try-again = 다시 시도
details-app-id = 앱 ID
details-client-id = 클라이언트 ID
details-display-name = 표시 이름
details-type = 유형
details-type-value = { $kind } 앱
details-authentication = 인증
details-auth-basic = Basic: 클라이언트 ID와 시크릿
details-auth-private-key-jwt = Private key JWT: 키로 서명
details-auth-unset = 인스턴스 자체 콘솔에서 설정합니다
details-state = 상태
details-active = 활성
details-inactive = 비활성: 로그인이 거부됩니다
details-deactivate = 비활성화…
details-deactivate-tooltip = 앱을 다시 활성화할 때까지 로그인을 막습니다
details-reactivate = 다시 활성화…
details-reactivate-tooltip = 로그인을 다시 허용합니다
details-client-secret = 클라이언트 시크릿
details-rotate-secret = 시크릿 재발급…
details-rotate-secret-tooltip = 새 시크릿을 발급합니다. 현재 시크릿은 즉시 사용할 수 없게 됩니다
details-secret-none-keys = 없음: 이 앱은 키로 서명합니다
details-secret-managed = 인스턴스 자체 콘솔에서 관리합니다
details-redirect-uris = 리디렉션 URI
details-providers = 인증 제공자
details-providers-none = 사용 중인 인증 제공자 없음
details-providers-activation = 활성화…
details-workflows = 워크플로
details-workflow-nodes = 노드 { $count }개
details-workflow-default-nodes = (기본) · 노드 { $count }개
details-workflow-open-tooltip = 워크플로 그래프 열기
details-none = 없음
details-webhook = 웹훅
details-webhook-on = 켜짐 · { $url }
details-webhook-no-url = URL 없음
details-webhook-off = 꺼짐
details-webhook-not-set = 설정 안 됨
details-edit-webhook = 웹훅 편집…
details-raw-json = 원본 JSON(시크릿 가림)
details-edit-redirect-uris = 리디렉션 URI 편집
details-uris-label = 주소(한 줄에 하나씩)
details-uris-help = 사용자는 인증을 마친 뒤 이 중 한 주소로 돌아옵니다. 로그인 요청에 주소가 지정되지 않으면 첫 번째 주소를 사용합니다.
details-uris-count = 최대 { $max }개 중 { $count }개
details-uris-line-problem = { $line }번째 줄: { $problem }
details-uris-more = …외 { $count }개 더
details-save-redirect-uris = 리디렉션 URI 저장

## 웹훅 탭 (src/ui/webhook_editor.rs)

webhook-address-required = 이벤트를 전달할 주소를 입력하거나 웹훅을 끄세요
webhook-no-unsaved = 저장하지 않은 변경 사항이 없습니다.
webhook-unsaved-fields = 저장하지 않은 항목: { $fields }
webhook-save = 웹훅 저장
webhook-signing-secret = 서명 시크릿
webhook-signing-help = 수신 측이 Hopae에서 보낸 것인지 확인할 수 있도록 전달하는 이벤트에 이 시크릿으로 서명합니다. 시크릿은 발급할 때 한 번만 표시됩니다.
webhook-rotate = 웹훅 시크릿 재발급…
webhook-rotate-tooltip = 새 서명 시크릿을 발급합니다. 현재 시크릿은 더 이상 작동하지 않습니다
webhook-deliver = 이 앱의 웹훅으로 이벤트 전달
webhook-address = 주소
webhook-retry-attempts = 재시도 횟수
webhook-timeout = 제한 시간(초)
webhook-events = 이벤트
webhook-events-none = 선택한 이벤트가 없습니다. 웹훅이 모든 이벤트를 받습니다.
webhook-other-event = 기타 이벤트
webhook-add-event = 이벤트 추가

## 인증 제공자 탭 (src/ui/providers_tab.rs)

providers-loading = 인증 제공자를 불러오는 중…
providers-reload = 다시 불러오기
providers-empty = 이 앱의 카탈로그에는 인증 제공자가 없습니다.
providers-countries = 국가 { $countries }
providers-levels = 보증 수준 { $levels }
providers-summary = 인증 제공자 { $count }개 · { $activated }개 활성화됨
providers-summary-waiting = 정보 필요 { $count }개
providers-on-for-app = · 이 앱에서 켜짐
providers-off-for-app = · 이 앱에서 꺼짐
providers-still-required = 활성화에 아직 필요한 정보: { $count }개
providers-example = {" "}(예: { $example })

## 앱 키 (src/ui/keys_panel.rs)

keys-loading = 키를 불러오는 중…
keys-load-failed = 키를 불러오지 못했습니다: { $error }
keys-none = 아직 키가 없습니다. 키를 추가하기 전에는 이 앱이 로그인할 수 없습니다
keys-never = 없음
keys-expired = 만료됨: { $when }
keys-expires = 만료: { $when }
keys-created = 생성됨: { $when }
keys-delete = 삭제…
keys-delete-tooltip = 이 키로 서명하는 모든 곳이 작동을 멈춥니다
keys-add = 키 추가…
keys-refresh = 새로 고침
keys-expiry-question = 새 키 만료 시점:
keys-in-one-year = 1년 후
keys-on-date = 날짜 지정
keys-date-tooltip = 그날이 끝날 때(UTC)까지 키가 작동합니다
keys-never-expires = 만료 없음
keys-shown-once = ZITADEL은 키를 한 번만 보여 줍니다. 키 파일은 지정한 위치에 본인만 읽을 수 있게 저장되며, 다시 내려받을 수 없습니다.
keys-save-file = 키 파일 저장…

## 대화 상자 (src/ui/dialogs.rs)

dialog-create-title = 앱 만들기
dialog-create-name = 앱 이름
dialog-create-name-hint = 예: Acme 은행 온보딩
dialog-create-name-taken = 같은 이름의 앱이 이미 있습니다. 다른 이름을 입력하세요
dialog-create-name-repeated = 같은 이름의 앱이 이미 있습니다. 그래도 만들 수는 있지만, 가져오기에서는 이 이름의 행을 기존 앱으로 처리합니다.
dialog-create-name-limit = 최대 { $max }자까지 입력할 수 있습니다.
dialog-create-redirect-uri = 리디렉션 URI(선택 사항)
dialog-create-redirect-help = 사용자가 인증을 마친 뒤 돌아올 주소입니다. 앱 세부 정보에서 더 추가할 수 있습니다.
dialog-create-auth-question = 앱 인증 방식
dialog-create-auth-basic = Basic: 클라이언트 ID와 시크릿(시크릿은 한 번만 표시)
dialog-create-auth-jwt = Private key JWT: 키로 서명, 시크릿 없음
dialog-create-button = 만들기
dialog-create-creating = 만드는 중…
dialog-rotate-client-title = 클라이언트 시크릿을 재발급할까요?
dialog-rotate-client-warning = { $app } 앱의 현재 시크릿은 즉시 작동을 멈춥니다. 이 시크릿을 사용하는 모든 시스템에 새 시크릿을 반영해야 합니다.
dialog-rotate-client-button = 시크릿 재발급
dialog-rotate-webhook-title = 웹훅 시크릿을 재발급할까요?
dialog-rotate-webhook-warning = { $app } 앱의 웹훅으로 전달하는 이벤트는 새 시크릿으로 서명됩니다. 수신 측에 새 시크릿을 반영하지 않으면 수신 측이 이벤트를 거부합니다.
dialog-rotate-webhook-button = 웹훅 시크릿 재발급
dialog-production-title = 운영 환경 앱을 변경할까요?
dialog-production-yes = 예, 변경합니다
dialog-production-warning = 이 워크스페이스는 운영 환경입니다. 변경 사항이 실제 고객에게 바로 적용됩니다.
dialog-delete-key-title = 이 키를 삭제할까요?
dialog-delete-key-button = 키 삭제
dialog-delete-key-warning = "{ $name }" 앱의 키가 즉시 작동을 멈춥니다(키: { $key }). 이 키로 로그인하는 요청은 모두 거부되며, 되돌릴 수 없습니다.
dialog-reactivate-title = 이 앱을 다시 활성화할까요?
dialog-reactivate-button = 다시 활성화
dialog-reactivate-body = "{ $name }" 앱이 다시 로그인을 허용합니다.
dialog-deactivate-title = 이 앱을 비활성화할까요?
dialog-deactivate-button = 비활성화
dialog-deactivate-body = "{ $name }" 앱은 다시 활성화할 때까지 즉시 로그인을 거부합니다. 설정과 시크릿은 그대로 유지됩니다.
dialog-secret-created-title = 앱을 만들었습니다. 클라이언트 시크릿을 복사하세요
dialog-secret-rotated-title = 새 클라이언트 시크릿
dialog-secret-webhook-title = 새 웹훅 서명 시크릿
dialog-secret-once = 이 시크릿은 한 번만 표시됩니다. 지금 비밀번호 관리자 등에 보관하세요. 다시 표시할 수 없습니다.
dialog-secret-copy = 시크릿 복사
dialog-secret-copy-both = 클라이언트 ID + 시크릿 복사
dialog-secret-copy-both-tooltip = "클라이언트 ID: …"와 "클라이언트 시크릿: …" 두 줄로 복사합니다
dialog-secret-clipboard-note = 복사한 내용은 이 창을 닫은 뒤에도 { $seconds }초 동안 클립보드에 남아 있다가 지워집니다.
dialog-secret-copied-left = 복사했습니다. { $seconds }초 안에 붙여 넣으세요(이 창을 닫은 뒤에도 됩니다). 그 뒤에는 클립보드를 비웁니다(콘솔을 종료할 때도 비웁니다).
dialog-secret-emptied = 1분이 지나 클립보드를 비웠습니다. 필요하면 다시 복사하세요.
dialog-secret-acknowledge = 이 시크릿을 안전하게 보관했습니다
dialog-secret-tick-hint = 이 창을 닫으려면 위의 확인란을 선택하세요.
dialog-unsaved-title = 저장하지 않은 변경 사항: { $name }
dialog-unsaved-body = { $parts } 항목을 바꾸고 저장하지 않았습니다.
dialog-unsaved-joiner = {" "}및{" "}
dialog-unsaved-problem = { $problem }. 계속 편집해서 고치거나 변경 사항을 버리세요.
dialog-unsaved-production = 저장하면 운영 환경 워크스페이스가 바뀝니다.
dialog-unsaved-discard = 버리기
dialog-unsaved-keep-editing = 계속 편집
dialog-shortcuts-title = 단축키
dialog-shortcuts-or = {" "}또는{" "}
dialog-shortcuts-note = 입력란에 입력하는 동안에는 Ctrl 없이 누르는 키가 작동하지 않습니다.

## 연결 대화 상자 (src/ui/connect.rs)

connect-title = 워크스페이스에 연결
connect-button = 연결
connect-use-local-sandbox = 로컬 샌드박스 사용
connect-use-local-sandbox-tooltip = 이 컴퓨터의 데모 데이터로 돌아갑니다
connect-checking = 키를 확인하는 중…
connect-workspace = 워크스페이스
connect-hopae-sandbox = Hopae 샌드박스
connect-production = 운영 환경
connect-other-address = 다른 주소
connect-address = 주소
connect-pat = 개인 액세스 토큰
connect-api-key = API 키
connect-pat-hint = 서비스 사용자의 토큰
connect-api-key-hint = sk_workspace_test_… 또는 sk_workspace_prod_…
connect-env-key = CONNECT_API_KEY 환경 변수가 설정되어 있어 그 키를 사용하며, 아무것도 저장하지 않습니다.
connect-keyring = 파일이 아닌 시스템 키링에 보관합니다. 이 주소에 이미 저장한 키를 사용하려면 비워 두세요.
connect-org-id = 조직 ID
connect-org-id-hint = 선택 사항: 비워 두면 토큰이 속한 조직을 사용합니다
connect-ca = 인증 기관(CA)
connect-ca-hint = 선택 사항: PEM 파일
connect-ca-file = 인증 기관(CA) 파일…
connect-ca-file-tooltip = 회사 인증 기관의 인증서(PEM)를 선택하세요
connect-clear = 지우기
connect-ca-help = 보안 연결을 검사하는 회사 프록시 뒤에 있거나, 서버가 사설 인증 기관을 사용할 때만 필요합니다. 시스템 인증서 저장소와 함께 신뢰하며, 경로는 이 주소와 함께 기억합니다.
connect-give-up-after = 제한 시간
connect-seconds-suffix = {" "}초
connect-give-up-help = 재시도를 포함해 호출 하나가 이 시간을 넘기면 중단됩니다.
connect-production-warning = 운영 환경: 변경 사항이 실제 고객에게 영향을 줍니다. 변경할 때마다 확인을 요청합니다.

## 활동 기록 패널 (src/ui/activity_view.rs)과 활동 기록 (src/activity/)

activity-close-tooltip = 앱 목록으로 돌아가기 (Esc)
activity-title = 활동 기록
activity-filter = 필터
activity-filter-hint = 앱, 이름, 작업, 워크스페이스 또는 요청 ID
activity-failed-only = 실패만
activity-refresh = 새로 고침
activity-help = 이 컴퓨터에서 콘솔이나 명령줄로 한 모든 변경 사항입니다. 시크릿은 기록하지 않습니다.
activity-no-match = 필터에 맞는 기록이 없습니다
activity-empty = 이 컴퓨터에서 아직 변경한 내용이 없습니다
activity-column-time = 시간
activity-column-workspace = 워크스페이스
activity-column-action = 작업
activity-column-app = 앱
activity-column-request-id = 요청 ID
activity-column-outcome = 결과
activity-app-link-tooltip = 목록에서 이 앱 보기
activity-outcome-ok = 성공 · { $detail }
activity-outcome-done = 완료
activity-outcome-failed = 실패 · { $error }
activity-action-create = 앱 만들기
activity-action-rename = 이름 바꾸기
activity-action-redirect-uris = 리디렉션 URI
activity-action-webhook = 웹훅
activity-action-rotate-secret = 시크릿 재발급
activity-action-rotate-webhook-secret = 웹훅 시크릿 재발급
activity-action-import = 가져오기
activity-action-deactivate = 비활성화
activity-action-reactivate = 다시 활성화
activity-action-add-key = 키 추가
activity-action-delete-key = 키 삭제
activity-action-create-workflow = 워크플로 만들기
activity-action-update-workflow = 워크플로 변경
activity-error-no-place = 활동 기록을 저장할 곳이 없습니다: { $error }. { $variable } 환경 변수로 파일을 지정할 수도 있습니다
activity-error-file = 활동 기록 { $what ->
    [create] 폴더를 만들지
    [lock] 파일을 잠그지
    [rotate] 파일을 교체하지
    [open] 파일을 열지
    [read] 파일을 읽지
   *[write] 파일에 쓰지
} 못했습니다({ $path }): { $error }. 변경 자체는 적용되었습니다. 폴더에 쓸 수 있는지, 디스크가 가득 차지 않았는지 확인하세요

## CSV 가져오기: 파일 읽기, 검사, 계획, 실행, 보고서, 가져오기 마법사

# 파일 읽기
import-no-rows = 파일에 머리글 행은 있지만 그 아래에 앱이 없습니다. 머리글 아래에 앱마다 한 행씩 추가한 다음 다시 가져오세요
import-read-failed = { $path } 파일을 읽을 수 없습니다: { $error }. 파일이 있는지, 파일을 열 권한이 있는지 확인하세요
import-file-too-large = { $path } 파일의 크기가 { $size }MB입니다. 가져오기는 { $max }MB 이하의 파일만 읽을 수 있습니다. 더 작은 파일로 나누어 차례로 가져오세요
import-file-empty = 파일이 비어 있습니다. 머리글 행과 앱마다 한 행씩 넣어 스프레드시트를 다시 내보내세요
import-file-binary = CSV 파일이 아닙니다(파일 종류: { $kind }). 스프레드시트 프로그램에서 다른 이름으로 저장(또는 내보내기)을 선택해 "CSV UTF-8" 형식으로 저장한 다음 그 파일을 가져오세요
import-kind-zip = Excel 통합 문서 또는 다른 zip 압축 파일(.xlsx, .zip)
import-kind-xls = 이전 형식의 Excel 통합 문서(.xls)
import-kind-pdf = PDF 문서
import-kind-png = PNG 이미지
import-kind-jpeg = JPEG 이미지
import-kind-gif = GIF 이미지
import-kind-gzip = gzip 압축 파일
import-file-not-text = 이 파일에는 텍스트가 없습니다. 스프레드시트에서 내보낸 CSV 파일을 선택하세요(파일 > 다른 이름으로 저장 > CSV)
import-unknown-encoding = 가져오기에서 지원하지 않는 인코딩입니다: "{ $label }". utf-8, utf-16le, utf-16be, windows-1252, iso-8859-15, shift_jis, euc-kr, gbk 중 하나를 사용하세요
csv-delimiter-comma = 쉼표(,)
csv-delimiter-semicolon = 세미콜론(;)
csv-delimiter-tab = 탭
csv-delimiter-bar = 세로 막대(|)
csv-delimiter-invalid = 구분 기호가 아닙니다: "{ $text }". , ; | 같은 문자 하나나 tab을 입력하세요
csv-read-failed = { $row }행 근처에서 파일을 CSV로 읽을 수 없습니다: { $reason }. 따옴표가 닫혀 있는지 확인하거나 구분 기호를 직접 선택하세요
csv-error-invalid-text = 올바르지 않은 텍스트가 들어 있습니다
csv-error-quoting = 따옴표가 잘못되었습니다
csv-too-many-rows = 파일의 행이 { $max }개를 넘습니다. 더 작은 파일로 나누어 차례로 가져오세요
csv-no-header = 파일에 머리글 행이 없습니다. 첫 행에 열 이름(예: name, redirectUris)을 넣으세요

# 열
import-field-name = 앱 이름
import-field-redirect-uris = 리디렉션 URI
import-field-webhook-url = 웹훅 URL
import-field-external-id = 외부 ID
import-headers-more = 외 { $count }개
import-headers-all-empty = 모두 비어 있음
import-no-name-column = 앱 이름이 든 열이 없습니다. 찾은 머리글: { $headers }. 이름이 든 열의 머리글을 "name"으로 바꾸세요(템플릿을 내려받으면 모든 머리글을 볼 수 있습니다)

# 행 검사
import-name-formula = 이름이 "{ $char }" 문자로 시작합니다. 적힌 그대로 일반 텍스트로 사용됩니다
import-uri-problem = { $index }번째 주소({ $uri }): { $problem }
import-no-redirect-uri = 리디렉션 URI 없음: URI를 추가하기 전에는 인증을 마친 사용자를 앱으로 돌려보낼 수 없습니다
import-column-number = { $number }번째 열
import-too-many-cells = 이 행의 셀은 { $cells }개인데 머리글은 { $header }개입니다. 값 안에 구분 기호가 들어 있는 것 같습니다. 그 값을 큰따옴표로 감싸세요
import-too-few-cells = 이 행의 셀은 { $cells }개인데 머리글은 { $header }개입니다. 빠진 셀은 빈 값으로 읽습니다
import-duplicate-external-id = { $first }행과 외부 ID가 같습니다. { $first }행만 가져옵니다. 둘 다 필요하다면 고객마다 다른 외부 ID를 지정하세요
import-duplicate-name = { $first }행과 이름이 같습니다. { $first }행만 가져옵니다. 두 앱이 모두 필요하다면 행마다 외부 ID를 지정하세요
import-duplicate-name-both = { $first }행과 이름이 같지만 외부 ID가 달라서 두 행 모두 앱을 만듭니다. 실수라면 하나를 삭제하세요
import-webhook-not-url = 완전한 웹 주소가 아닙니다. https://example.com/webhooks 형식으로 입력하세요
import-webhook-not-https = 호스트가 있는 https:// 주소를 사용하세요(예: https://example.com/webhooks)

# 계획
import-change-redirect-uris = 리디렉션 URI: { $before } -> { $after }
import-change-webhook-url = 웹훅 URL: { $before } -> { $after }
import-change-none = (없음)
import-existing-mode-invalid = skip, update, create 중 하나여야 합니다(입력값: "{ $text }")
import-plan-failed = 가져오기 계획을 세울 수 없습니다: { $error }
preview-update-line = { $row }행 · { $name } ({ $client_id }): { $changes }
preview-action-new = 새로 생성
preview-action-new-twin = 새로 생성(같은 이름의 기존 앱 { $count }개와 별도로)
preview-action-exists = 이미 있음({ $client_id }), 그대로 둠
preview-action-created-earlier = 이전 가져오기에서 생성됨({ $client_id })
preview-action-up-to-date = 이미 있음({ $client_id }), 최신 상태
preview-action-unfinished = 이전 가져오기에서 보냈으나 응답을 받지 못함. 다시 보내지 않음
preview-action-unfinished-named = 이전 가져오기에서 보냈으나 응답을 받지 못함. 다시 보내지 않음(같은 이름의 앱: { $client_id })
preview-action-update = 업데이트({ $client_id }): { $changes }
preview-action-repeats = { $first }행과 중복. { $first }행만 가져옴
preview-action-invalid = 유효하지 않음. 가져오지 않음
preview-action-claim = 이전 가져오기에서 `{ $name }` 이름으로 생성되었으나 응답을 받지 못함. 시크릿을 다시 발급하고 이름을 바꿈
preview-action-give-key = 이전 가져오기에서 생성됨({ $client_id }). 새 키를 받음
preview-action-rename = 이전 가져오기에서 `{ $name }` 이름으로 생성됨. 이름을 바꿈
preview-action-same-name = { $first }행과 이름이 같음. 가져오지 않음

# 결과와 보고서
results-status-created = 생성됨
results-status-created-earlier = 이전에 생성됨
results-status-failed = 실패
results-status-invalid = 유효하지 않음
results-status-skipped = 건너뜀
results-status-exists = 이미 있음
results-status-updated = 업데이트됨
results-status-ready = 준비됨
results-status-update = 업데이트 예정
import-summary-ready = { $count }개 생성 준비됨
import-summary-to-update = { $count }개 업데이트 예정
import-summary-created = { $count }개 생성됨
import-summary-created-earlier = { $count }개 생성됨(이전 실행에서 { $earlier }개)
import-summary-exist = { $count }개 이미 있음
import-summary-updated = { $count }개 업데이트됨
import-summary-skipped = { $count }개 건너뜀
import-summary-failed = { $count }개 실패
import-summary-invalid = { $count }개 유효하지 않음
import-summary = { $parts }(전체 { $total }행)
import-save-failed = { $path } 파일을 저장할 수 없습니다: { $error }. 다른 폴더를 선택하거나 디스크 공간을 확보하세요

# 실행
import-survey-failed = 파일과 비교할 워크스페이스의 앱을 읽을 수 없습니다: { $error } 아무것도 보내지 않았습니다
import-secret-not-saved = 앱을 만들었지만({ $client_id }) 시크릿을 저장하지 못했습니다. 다른 --secrets 파일을 지정해 가져오기를 다시 실행하면 시크릿을 받을 수 있습니다
import-not-sent-stopped = 가져오기가 중단되어 보내지 않았습니다: { $reason }
import-not-sent-cancelled = 가져오기를 취소해 보내지 않았습니다. 계속하려면 다시 실행하세요
import-cancelled = 가져오기가 취소되었습니다
import-not-changed-stopped = 가져오기가 중단되어 변경하지 않았습니다: { $reason }
import-not-changed-cancelled = 가져오기를 취소해 변경하지 않았습니다. 계속하려면 다시 실행하세요
import-exists-several = "{ $name }" 이름의 앱이 여러 개라서 아무것도 변경하지 않았습니다. 행에 외부 ID를 지정하거나 콘솔에서 해당 앱을 직접 변경하세요
import-exists-left = 이 이름의 앱이 이미 있어({ $client_id }) 그대로 두었습니다. 변경하려면 "update"를, 두 번째 앱을 만들려면 "create"를 선택하세요
import-up-to-date = { $client_id } 앱은 이미 최신 상태입니다
import-unfinished-past-window = 이전 가져오기에서 23시간보다 더 전에 이 행을 보냈지만 생성 여부를 확인하지 못해 안전하게 다시 보낼 수 없습니다. { $found }
import-unfinished-key-conflict = 이전 가져오기에서 이 행을 보냈지만 생성 여부를 확인하지 못했고, 그 뒤 행이 바뀌어 서버가 다시 받지 않습니다. { $found }
import-unfinished-found = 이 이름의 앱이 있어({ $client_id }) 그대로 두었습니다. 그 가져오기가 만든 앱이라면 콘솔에서 시크릿을 재발급해 받으세요
import-unfinished-look = 이 행을 다른 방법으로 만들기 전에, 그 가져오기가 만들었을 수 있는 앱을 콘솔에서 찾아보세요(이전 이름이나 외부 ID로)
import-repeat-external-id = { $first }행과 외부 ID가 같아 { $first }행을 대신 가져옵니다
import-repeat-name = { $first }행과 이름이 같아 { $first }행을 대신 가져옵니다
import-created-no-secret = 앱을 만들었지만({ $client_id }) 서버가 시크릿을 돌려주지 않았습니다. 콘솔에서 시크릿을 재발급해 받으세요
import-answer-empty = 이 행에 대한 서버의 응답이 비어 있습니다
import-answer-missing-row = 서버의 응답에 이 행이 없습니다. 가져오기를 다시 실행하세요. 같은 키로 보내므로 두 번 생성되지 않습니다

# 저널과 비공개 파일
import-no-home = 이 계정에는 홈 폴더가 없어 가져오기 저널을 둘 비공개 위치가 없습니다. HOME(또는 XDG_DATA_HOME)을 설정하거나, 본인만 읽을 수 있는 폴더를 --journal-dir로 지정하세요
import-file-is-link = { $path } 경로는 심볼릭 링크입니다. 이 콘솔은 실제 파일에만 씁니다. 링크가 가리키는 파일이나 다른 이름을 지정하세요
import-file-is-link-short = { $path } 경로는 심볼릭 링크입니다. 이 콘솔은 실제 파일에만 씁니다
import-file-not-regular = { $path } 경로는 일반 파일이 아닙니다. 파일 이름을 지정하세요
import-file-other-user = { $path } 파일은 다른 사용자의 것입니다. 본인 소유의 파일을 지정하세요
import-lock-process = 프로세스 { $pid }
import-lock-another = 다른 프로세스
import-journal-failed = { $dir } 폴더의 가져오기 저널을 { $what ->
        [create] 만들
        [lock] 잠글
        [open] 열
       *[read] 읽을
    } 수 없습니다: { $error }. 폴더에 쓸 수 있는지, 디스크가 가득 차지 않았는지 확인하세요
import-journal-busy = 이 워크스페이스에 다른 가져오기가 실행 중입니다({ $holder }). 두 실행이 동시에 진행되면 같은 행을 보낼 수 있습니다. 끝날 때까지 기다리거나 중지한 다음 다시 시도하세요
import-journal-read-failed = { $dir } 폴더의 가져오기 저널을 읽을 수 없습니다: { $error }
import-journal-record-failed = 가져오기를 기록할 수 없습니다: { $error }
import-journal-write-failed = 가져오기 저널 파일에 쓸 수 없습니다({ $path }): { $error }. 디스크 공간을 확보한 다음 가져오기를 다시 실행하세요. 멈춘 곳부터 이어서 진행합니다
import-secrets-folder-missing = { $folder } 폴더가 없습니다
import-secrets-no-permission = { $folder } 폴더에 쓸 권한이 없습니다
import-secrets-cannot-write = 시크릿 파일에 쓸 수 없습니다({ $path }): { $why }. 아무것도 보내지 않았습니다. 쓸 수 있는 폴더의 파일을 선택하세요
import-secrets-is-folder = 시크릿 파일로 지정한 { $path } 경로는 폴더입니다. 아무것도 보내지 않았습니다. 파일 이름을 지정하세요
import-secrets-write-failed = 클라이언트 시크릿을 { $path } 파일에 쓸 수 없습니다: { $error }. 가져오기를 중단했으며 이 배치의 앱은 완료로 표시되지 않았습니다. 여유 공간이 있는 디스크의 다른 --secrets 파일을 지정해 같은 가져오기를 다시 실행하세요. 서버가 같은 시크릿을 다시 돌려주며, 시크릿은 새 파일에 저장됩니다
import-secrets-dir-failed = 클라이언트 시크릿을 저장할 { $dir } 폴더를 만들 수 없습니다: { $error }. 대신 미리 보기에서 시크릿 파일을 선택하세요
import-secrets-too-many = 1초 안에 시크릿 파일을 너무 많이 만들었습니다
import-windows-no-username = USERNAME 환경 변수가 설정되지 않아 폴더를 비공개로 만들 수 없습니다
import-windows-icacls-failed = { $path } 폴더를 이 계정만 읽을 수 있게 만들 수 없습니다(icacls 실패)

# ZITADEL 프로젝트로 가져오기
import-zitadel-no-update = ZITADEL API 앱에는 리디렉션 URI나 웹훅 URL이 없어 기존 앱에서 업데이트할 것이 없습니다. --existing update를 빼세요. 프로젝트에 이미 있는 이름의 행은 그대로 둡니다
import-zitadel-no-create = ZITADEL 프로젝트에서는 앱 이름이 중복될 수 없으므로 같은 이름의 두 번째 앱을 만들 수 없습니다. --existing create를 빼거나 해당 행의 이름을 바꾸세요
import-zitadel-survey-failed = 파일과 비교할 { $project } 프로젝트의 앱을 읽을 수 없습니다: { $error } 아무것도 보내지 않았습니다
import-zitadel-keys-dir-failed = 키 폴더를 만들 수 없습니다({ $dir }): { $error }. 아무것도 보내지 않았습니다. 쓸 수 있는 폴더를 선택하세요
import-zitadel-ready-claim = 이전 실행에서 이 앱을 `{ $name }` 이름으로 만들었지만 기록을 마치지 못했습니다. 가져오기가 시크릿을 저장하고(시크릿 파일에 없으면 새로 발급) 이름을 바꿉니다
import-zitadel-ready-give-key = 이전 실행에서 이 앱을 만들었지만({ $client_id }) 키 파일이 키 폴더에 없습니다. 가져오기가 새 키를 발급합니다
import-zitadel-ready-rename = 이전 실행에서 이 앱을 `{ $name }` 이름으로 만들고 시크릿을 저장했습니다. 가져오기가 이름을 바꿉니다
import-zitadel-exists = 프로젝트에 이 이름의 앱이 있어({ $client_id }) 그대로 두었으며 시크릿도 바꾸지 않았습니다
import-zitadel-repeat = { $first }행과 이름이 같아 { $first }행을 대신 가져옵니다(ZITADEL 프로젝트에서는 이름이 중복될 수 없습니다)
import-zitadel-outcome-unknown = { $error }. 앱이 생성되었는지 알 수 없습니다. 가져오기를 다시 실행하세요. `{ $marked }` 이름으로 앱을 찾으므로 두 번 생성되지 않습니다
import-zitadel-exists-not-found = ZITADEL은 `{ $marked }` 이름의 앱이 있다고 했지만 그 이름으로 찾은 앱이 없습니다. 가져오기를 다시 실행하세요. 이름을 다시 조회하므로 두 번 만들지 않습니다
import-zitadel-lookup-failed = 생성 요청의 응답을 받지 못했고 앱을 조회할 수도 없습니다: { $error }. 가져오기를 다시 실행하세요. `{ $marked }` 이름으로 찾으므로 두 번 생성되지 않습니다
import-zitadel-wrong-app = `{ $name }` 이름의 앱은 { $kind ->
        [api] API
        [oidc] OIDC
        [saml] SAML
       *[other] 다른 종류의
    } 앱으로, 이 가져오기가 만드는 { $expected } API 앱이 아니어서 그대로 두었습니다. 첫 실행과 같은 인증 방식으로 가져오기를 실행하거나 그 앱을 제거하세요
import-zitadel-wrong-app-signing = `{ $name }` 이름의 앱은 { $kind ->
        [api] API
        [oidc] OIDC
        [saml] SAML
       *[other] 다른 종류의
    } 앱(인증 방식: { $method })으로, 이 가져오기가 만드는 { $expected } API 앱이 아니어서 그대로 두었습니다. 첫 실행과 같은 인증 방식으로 가져오기를 실행하거나 그 앱을 제거하세요
import-zitadel-secret-not-issued = 앱을 만들었지만({ $client_id }, 이름 `{ $name }`) 시크릿을 발급하지 못했습니다: { $error }. 가져오기를 다시 실행하면 그때 시크릿을 발급합니다
import-zitadel-key-not-saved = 앱을 만들었지만({ $client_id }, 이름 `{ $name }`) 키를 저장하지 못했습니다: { $why }. 가져오기를 다시 실행하면 그때 앱에 키를 발급합니다
import-zitadel-name-taken = 다른 앱이 이미 이 이름을 쓰고 있어 그 앱은 그대로 두었습니다. 가져온 앱은 `{ $marked }` 이름({ $client_id })으로 남았고 시크릿은 저장되었습니다. 두 앱 중 하나의 이름을 바꾸거나 제거한 다음 가져오기를 다시 실행해 마무리하세요
import-zitadel-rename-failed = `{ $marked }` 이름({ $client_id })으로 만들었고 시크릿도 저장했지만 행의 이름으로 바꾸지 못했습니다: { $error }. 가져오기를 다시 실행하면 이름 변경을 마칩니다

# 가져오기 마법사
wizard-still-running = 가져오기가 아직 실행 중입니다. 먼저 취소하거나 끝날 때까지 기다리세요
wizard-template-saved = 템플릿을 저장했습니다: { $path }
wizard-rows-to-fix-saved = 고칠 행을 저장했습니다: { $path }. 스프레드시트에서 고치고, 원하면 problem 열을 삭제한 다음 파일을 가져오세요.
wizard-results-saved = 결과를 저장했습니다: { $path }
wizard-step-file = 1 파일
wizard-step-columns = 2 열
wizard-step-preview = 3 미리 보기
wizard-step-import = 4 가져오기
wizard-step-results = 5 결과
wizard-save-rows-to-fix-title = 고칠 행 저장
wizard-save-to = 저장 위치
wizard-file-heading = 스프레드시트에서 앱 가져오기
wizard-file-intro = 스프레드시트에서 내보낸 CSV 파일을 선택하세요(또는 이 창에 끌어다 놓으세요). 한 행에 앱 하나씩 적습니다. 열: name(필수), redirectUris, webhookUrl, externalId. "템플릿 내려받기…"로 시작용 파일을 받을 수 있습니다.
wizard-choose-file = 파일 선택…
wizard-choose-file-title = 가져올 CSV 파일 선택
wizard-download-template = 템플릿 내려받기…
wizard-template-title = 가져오기 템플릿 저장
wizard-file-path = 파일 경로
wizard-file-path-hint = 또는 파일 경로 입력
wizard-open = 열기
wizard-reading = 파일을 읽는 중…
wizard-rows-count = 앱 { $count }행
wizard-rows-none = 읽을 수 있는 앱 행 없음
wizard-fact-file = 파일
wizard-fact-rows = 행
wizard-encoding = 인코딩
wizard-delimiter = 구분 기호
wizard-detect = 자동 감지
wizard-detect-found = 자동 감지({ $found })
wizard-detect-found-guess = 자동 감지({ $found }, 추정)
wizard-encoding-hint = 미리 보기에서 악센트나 다른 글자가 깨져 보이면 인코딩을 선택하세요.
wizard-encoding-western = Windows-1252(서유럽)
wizard-encoding-central = Windows-1250(중앙 유럽)
wizard-encoding-japanese = Shift_JIS(일본어)
wizard-encoding-korean = EUC-KR(한국어)
wizard-encoding-chinese = GBK(중국어)
wizard-columns-intro = 파일의 각 열과 그 열에 담긴 내용입니다. "무시"로 설정한 열은 가져오지 않습니다.
wizard-col-in-file = 파일의 열
wizard-col-imported-as = 가져올 항목
wizard-col-first-value = 첫 값
wizard-column-unnamed = ({ $number }번째 열)
wizard-ignore = 무시
wizard-checking = 새 열 설정으로 { $count }행을 검사하는 중…
wizard-ignored-columns = 무시한 열: { $columns }
wizard-name-required = 앱 이름이 든 열을 선택하세요. 필수 항목입니다.
wizard-col-row = 행
wizard-col-name = 이름
wizard-progress-intro = 앱을 만드는 중입니다. 계속 작업해도 됩니다. 가져오기가 끝나면 목록을 새로 고칩니다.
wizard-progress-rows = { $total }행 중 { $done }행
wizard-progress-pace = 초당 { $rate }행, 지금까지 실패 { $failed }행, 동시 배치 { $batches }개
wizard-progress-eta = 약 { $seconds }초 남음
wizard-stopping = 이미 보낸 배치가 끝나면 멈춥니다…

# 마법사의 미리 보기 단계
preview-valid = 정상 { $count }개
preview-with-warnings = 경고 { $count }개
preview-invalid = 유효하지 않음 { $count }개
preview-skip-invalid = 유효하지 않은 행 건너뛰기
preview-save-invalid = 유효하지 않은 행 저장…
preview-save-invalid-tip = 이 행들과 각 행의 문제를 담은 CSV 파일을 저장합니다. 고친 다음 다시 가져오세요
preview-invalid-skipped = 이 행들은 빼고 나머지를 가져옵니다.
preview-invalid-fix = 스프레드시트에서 고친 다음 파일을 다시 열거나, 건너뛰세요.
preview-production = 이 워크스페이스는 운영 환경입니다. 새 앱이 바로 실제 고객에게 적용됩니다.
preview-production-confirm = 예, 운영 환경에서 앱 { $count }개를 변경합니다
preview-twins = { $count }개 행의 이름이 이미 있는 앱과 같습니다. 각 행은 같은 이름의 앱을 하나 더 만듭니다.
preview-twins-confirm = 예, 이미 있는 이름으로 앱 { $count }개를 만듭니다
preview-import-create-update = 가져오기: { $new }개 생성, { $update }개 업데이트
preview-import-count = 앱 { $count }개 가져오기
preview-import = 가져오기
preview-unique-names = 이미 있는 이름의 행은 그대로 둡니다. 프로젝트 안에서 앱 이름은 중복될 수 없습니다.
preview-auth-label = 새 앱의 인증 방식
preview-auth-basic = Basic: 클라이언트 ID와 시크릿
preview-auth-private-key = Private key JWT: 키 사용, 시크릿 없음
preview-existing-label = 워크스페이스에 이미 있는 앱과 일치하는 행(같은 이름 또는 외부 ID)
preview-existing-skip = 앱을 그대로 두기
preview-existing-skip-tip = 이 행들에 대해서는 아무것도 보내지 않습니다
preview-existing-update = 리디렉션 URI와 웹훅 업데이트
preview-existing-update-tip = 행의 값이 다른 곳만 바꿉니다. 빈 셀은 아무것도 바꾸지 않습니다
preview-existing-create = 두 번째 앱 만들기
preview-existing-create-tip = 같은 이름의 새 앱을 일부러 만듭니다
preview-comparing = 파일을 워크스페이스의 앱과 비교하는 중…
preview-count-new = 새 앱 { $count }개
preview-count-exist = 이미 있음 { $count }개
preview-count-update = 업데이트 { $count }개
preview-count-repeated = 파일 안 중복 { $count }개
preview-workspace-has = (워크스페이스의 앱 { $count }개)
preview-changes = 바뀌는 내용(앱 { $count }개, 이전 -> 이후)
preview-compare-again = 다시 비교
preview-col-what-happens = 처리 내용
preview-col-problems = 문제
preview-keys-folder = 키 파일 폴더
preview-keys-folder-hint = 콘솔 데이터 폴더 안의 새 폴더
preview-keys-expire = 키 만료
preview-keys-one-year = 1년 후
preview-keys-never = 만료 없음
preview-keys-note = 새 앱마다 키를 하나씩 받습니다. 키 파일은 본인만 읽을 수 있게 이 폴더에 저장되며, 결과에 파일마다 이름이 나옵니다. ZITADEL은 키를 한 번만 보여 주므로 파일을 다시 내려받을 수 없습니다.
preview-secrets-label = 새 앱의 클라이언트 시크릿:
preview-change-file = 파일 변경…
preview-secrets-tip = 새 앱의 클라이언트 시크릿을 배치마다 이 파일에 저장합니다. 이 파일은 본인만 읽을 수 있습니다
preview-secrets-title = 받은 클라이언트 시크릿을 저장할 파일
preview-secrets-path = 배치가 생성될 때마다 { $path } 파일에 저장됩니다.
preview-secrets-default = 선택하지 않으면 콘솔 데이터 폴더에 본인만 읽을 수 있는 새 파일로 저장되며, 결과 페이지에서 위치를 알려 줍니다.

# 마법사의 결과 단계
results-finished = 가져오기 완료
results-finished-problems = 가져오기 완료(문제 있음)
results-stopped-early = 가져오기가 중간에 멈췄습니다: { $reason }
results-retry-hint = 생성되지 않은 행을 다시 시도하려면 같은 파일을 다시 열어 가져오세요. 이미 생성된 앱은 다시 만들지 않습니다.
results-key-files = 앱 { $count }개의 키 파일이 이 폴더에 있습니다(본인만 읽을 수 있으며 결과에 파일마다 이름이 나옵니다). 각 파일을 안전한 경로로 해당 고객에게 전달하세요.
results-secrets-file = 새 앱의 클라이언트 시크릿이 이 파일에 있습니다(본인만 읽을 수 있음). 각 시크릿을 안전한 경로로 해당 고객에게 전달한 다음 파일을 삭제하세요.
results-saved = 결과를 저장했습니다.
results-save = 결과 저장…
results-save-title = 가져오기 결과 저장
results-save-failed-rows = 실패한 행 저장…
results-save-failed-rows-tip = 생성되지 않은 행과 그 이유를 담은 CSV 파일을 저장합니다. 고친 다음 다시 가져오세요
results-import-another = 다른 파일 가져오기
results-col-client-id = 클라이언트 ID
results-col-status = 상태
results-col-detail = 세부 정보
results-open-folder = 폴더 열기
results-open-folder-tip = 파일 관리자에서 { $folder } 폴더 보기
results-copy-path = 경로 복사

## 워크플로: 보기, 노드 종류와 요약, 문제 검사, 경로, 시뮬레이터

# 보기의 도구 모음과 빈 상태
workflow-close-tooltip = 앱으로 돌아가기 (Esc)
workflow-picker = 워크플로
workflow-default-marked = { $name } (기본)
workflow-tab-graph = 그래프
workflow-tab-table = 표
workflow-zoom-out = 축소
workflow-zoom-in = 확대
workflow-fit = 화면에 맞추기
workflow-export-png = PNG 내보내기…
workflow-export-png-tooltip = 그래프 전체를 이미지로 저장합니다
workflow-export-json = JSON 내보내기…
workflow-export-json-tooltip = API가 돌려준 그대로 워크플로를 저장합니다
workflow-save-to = 저장 위치
workflow-no-workflows = 이 앱에는 표시할 워크플로가 없습니다

# 내보내기
workflow-export-png-title = 그래프를 PNG로 내보내기
workflow-export-json-title = 워크플로를 JSON으로 내보내기
workflow-png-filter = PNG 이미지
workflow-saved-to = 저장했습니다: { $path }
workflow-taking-picture = 그래프를 캡처하는 중…
workflow-saving-picture = 이미지를 저장하는 중…
workflow-picture-missing = 그래프 이미지를 받지 못했습니다. 다시 시도하거나 JSON으로 내보내세요
workflow-json-failed = 워크플로를 JSON으로 저장하지 못했습니다: { $error }

# 노드 정보
workflow-inspector-title = 노드 정보: { $id }
workflow-inspector-close = 노드 정보 닫기
workflow-inspector-entry = 시작 노드
workflow-inspector-ends = 워크플로가 여기서 끝남
workflow-inspector-problems = 이 노드의 문제
workflow-inspector-settings = 설정
workflow-inspector-raw = 원본 JSON
workflow-inspector-raw-failed = (JSON을 표시할 수 없습니다: { $error })

# 문제 목록
workflow-problems-none = 문제가 없습니다
workflow-problems-heading = 문제: 오류 { $errors }개, 경고 { $warnings }개
workflow-problem-error = 오류
workflow-problem-warning = 경고

# 표 보기
workflow-table-node = 노드
workflow-table-type = 유형
workflow-table-summary = 요약
workflow-table-next = 다음
workflow-table-problems = 문제
workflow-table-entry = { $kind } (시작)
workflow-table-end = { $kind } (끝)
workflow-table-problem-count = 문제 { $count }개
workflow-table-warning-count = 경고 { $count }개

# 그래프 캔버스
graph-card-label = 노드 { $id }
graph-badge-entry = 시작
graph-badge-end = 끝
graph-fails-rejected = 실패 → 거부
graph-missing-target = 없는 노드: { $target }
graph-minimap = 미니맵

# 화면에 보이는 노드 종류 (JSON의 유형 코드는 그대로)
node-kind-request = 요청
node-kind-verification = 인증
node-kind-check-min-loa = 최소 LoA 검사
node-kind-check-claim = 클레임 검사
node-kind-evaluate = 평가
node-kind-if = 조건 분기
node-kind-response = 응답
node-kind-other = 알 수 없는 유형

# 노드 한 줄 요약
summary-request = 시작: 신뢰 당사자(RP)의 요청
summary-min-loa = LoA >= { $level } 필요
summary-min-loa-unset = 최소 LoA 필요
summary-claim = 필요 조건: { $rule }
summary-claim-unset = 클레임 검사
summary-evaluate = 평가: { $rules }
summary-evaluate-unset = 규칙 평가
summary-response = 응답: { $result }
summary-response-unset = 신뢰 당사자(RP)에게 응답
summary-unknown-type = 이 콘솔이 알지 못하는 유형입니다: "{ $code }"
summary-verify = 인증
summary-verify-with = 인증: { $providers }
summary-verify-claims = { $verify } · 클레임: { $claims }
summary-if-no-routes = 조건 분기(경로 없음)
summary-if-a-condition = 조건
summary-if = 조건 분기: { $condition }
summary-if-routes = 조건 분기: { $condition } (경로 { $count }개)

# 노드 정보의 설정

# same-as-english
summary-setting-id = ID
summary-setting-type = 유형
summary-setting-settings = 설정
summary-setting-next = 다음
summary-setting-ends = 없음(워크플로가 여기서 끝남)
summary-setting-routes = 경로
summary-setting-route = 경로 { $route }
summary-condition-unreadable = (조건을 읽을 수 없음)
summary-no-target = (대상 없음)
summary-no-routes = (경로 없음)

# 조건과 값
route-otherwise = 그 밖의 경우
route-and = 그리고
route-or = 또는
route-exists = { $field } 있음
route-not-exists = { $field } 없음
route-value-none = 없음
route-value-yes = 예
route-value-no = 아니요

# 문제 검사
lint-severity-error = 오류
lint-severity-warning = 경고
lint-no-entry = 워크플로에 시작 노드가 지정되어 있지 않습니다
lint-entry-missing = 시작 노드로 지정된 "{ $entry }" 노드가 없습니다
lint-no-id = { $position }번째 노드에 ID가 없습니다
lint-duplicate-id = { $first }번째와 { $second }번째 노드가 같은 ID를 씁니다: "{ $id }"
lint-missing-target = "{ $from }" 노드가 가리키는 "{ $target }" 노드가 없습니다
lint-missing-target-route = "{ $from }" 노드의 { $route }번 경로가 가리키는 "{ $target }" 노드가 없습니다
lint-route-without-target = "{ $from }" 노드의 { $route }번 경로에서 이 콘솔이 읽을 수 있는 대상 노드를 찾을 수 없습니다
lint-unreachable = "{ $id }" 노드는 시작 노드에서 도달할 수 없습니다
lint-if-without-routes = "{ $id }" 조건 분기 노드에 경로가 없습니다
lint-dead-end = 경로가 응답 노드에 이르지 못하고 "{ $id }" 노드({ $kind })에서 끝납니다
lint-provider-off = "{ $id }" 노드가 인증에 쓰는 { $provider } 인증 제공자가 이 앱에서 꺼져 있습니다
lint-provider-not-set-up = "{ $id }" 노드가 인증에 쓰는 { $provider } 인증 제공자가 이 앱에 설정되어 있지 않습니다
lint-unknown-type = "{ $id }" 노드의 유형을 이 콘솔에서 알 수 없습니다: "{ $code }"
lint-no-response = 워크플로에 응답 노드가 없습니다
lint-closed-cycle = 다음 노드들이 빠져나갈 길 없이 반복됩니다: { $nodes }

# 시뮬레이터: 단계와 실행이 끝난 방식 (--json의 코드는 영어 그대로)
sim-outcome-completed = 완료
sim-outcome-rejected = 거부
sim-outcome-stuck = 막힘
sim-outcome-invalid = 유효하지 않음
sim-outcome-loop = 반복
sim-result-passed = 통과

# 시뮬레이터의 이유
sim-entry-not-found = 시작 노드로 지정된 "{ $id }" 노드가 워크플로에 없음
sim-no-entry = 워크플로에 시작 노드가 지정되지 않음
sim-too-many-steps = 응답에 이르지 못한 채 { $steps }단계를 넘김
sim-request-starts = 요청이 여기서 시작됨
sim-mock-input = 이 노드의 모의 사용자 정보를 입력으로 사용함
sim-userinfo-input = 사용자 정보를 입력으로 사용함
sim-responds-with = 다음 설정으로 응답함: { $settings }
sim-responds-without = 설정 없이 응답함
sim-unknown-type = 시뮬레이터가 알지 못하는 유형: "{ $code }"
sim-min-loa-not-number = 최소 LoA 값이 숫자가 아님: { $value }
sim-min-loa-unset = 최소 LoA가 설정되지 않음(minLoa)
sim-no-claim = 검사할 클레임이 없음
sim-rules-unreadable = 규칙을 읽을 수 없음: { $why }
sim-only-next = 경로 없이 다음 노드만 있음
sim-next-not-a-node = 다음 노드로 지정된 "{ $id }" 노드가 없음
sim-no-next = 다음 노드가 없음
sim-route-no-condition = 조건이 없고 기본 경로로 표시되지도 않음: { $route }
sim-route-unreadable = { $route }번 경로를 읽을 수 없음: { $why }
sim-no-routes = 경로가 없음
sim-default-taken = 다른 경로의 조건이 맞지 않아 기본 경로를 택함
sim-only-default = 기본 경로만 있음
sim-no-route-holds = 조건이 맞는 경로가 없고 기본 경로도 없음
sim-route-target-missing = { $route }번 경로가 가리키는 "{ $id }" 노드가 없음
sim-route-no-target = { $route }번 경로에 갈 노드가 지정되지 않음

# 규칙이 맞았거나 맞지 않은 이유
sim-operator-unknown-of = 알 수 없는 연산자 "{ $operator }" (필드: { $field }). eq, neq, gt, gte, lt, lte, exists, not_exists 중 하나여야 함
sim-group-empty = 조건 그룹이 비어 있음
sim-condition-missing = 조건이 없음
sim-condition-shapeless = 콘솔이 읽을 수 있는 형태의 조건이 아님: { $condition }
sim-value-missing = 없음
sim-reason-is = { $path } 값: { $actual }
sim-reason-not = { $path } 값: { $actual }, { $expected } 아님
sim-reason-anything-but = { $path } 값: { $actual }, { $expected } 이외의 값이어야 함
sim-reason-more-than = { $path } 값: { $actual }, { $expected } 초과여야 함
sim-reason-less-than = { $path } 값: { $actual }, { $expected } 미만이어야 함
sim-reason-or-more = { $path } 값: { $actual }, { $expected } 이상이어야 함
sim-reason-or-less = { $path } 값: { $actual }, { $expected } 이하여야 함
sim-reason-needs-value = { $path } 값: { $actual }, 값이 있어야 함
sim-reason-needs-no-value = { $path } 값: { $actual }, 값이 없어야 함
sim-reason-numbers-only = { $reason } (숫자끼리만 비교할 수 있음)

# 시뮬레이터의 실행 기록
sim-trace-other-type = 유형 "{ $code }"
sim-trace-by-route = { $next } ({ $route }번 경로: { $label })
sim-trace-loop = 반복, { $why } ({ $node } 노드에서 멈춤)
sim-trace-ended-at = { $node } 노드에서 { $outcome }
sim-trace-response = → 응답: { $result }

## 워크플로 보기의 시뮬레이터 패널

sim-title = 사용자 시뮬레이션
sim-close-hint = 시뮬레이터 닫기 (Esc)
sim-privacy-note = 예시 사용자 정보에는 개인정보가 들어 있을 수 있습니다. 마지막으로 실행한 정보는 이 워크플로용으로 이 컴퓨터에만 저장되며 본인만 읽을 수 있습니다.
sim-examples = 예시:
sim-example-korean-adult = 한국 성인, LoA 2
sim-example-swedish = 스웨덴 사용자, LoA 2
sim-example-low-loa = LoA 1 사용자
sim-input-not-object = 사용자 정보는 JSON 객체여야 합니다: { "{" } … { "}" }
sim-input-invalid = { $line }번째 줄, { $column }번째 문자: { $problem }
sim-input-label = 인증 노드가 돌려주는 사용자 정보(JSON)
sim-input-valid = 올바른 JSON입니다
sim-json-eof = 내용이 중간에 끝납니다(닫히지 않은 괄호나 따옴표가 있습니다)
sim-json-syntax = 올바른 JSON이 아닙니다
sim-run = 실행
sim-run-hint = 이 사용자 정보로 워크플로를 실행해 봅니다(Ctrl+Enter). 서버로는 아무것도 보내지 않습니다.
sim-forget-inputs = 저장된 입력 지우기
sim-forget-inputs-hint = 시뮬레이터용으로 이 컴퓨터에 저장된 사용자 정보를 모두 지웁니다
sim-forgotten = 저장된 입력 { $count }개를 지웠습니다
sim-not-run = 예시를 선택하거나 사용자 정보를 입력한 뒤 실행을 누르세요.
sim-ended = 결과: { $outcome } (종료 노드: { $node })
sim-response-result = 응답 결과: { $result }
# same-as-english
sim-step = { $number }. { $kind } ({ $node }): { $result }
sim-step-hint = 그래프에서 이 노드 선택
sim-action = 시뮬레이션…
sim-action-hint = 예시 사용자로 이 워크플로를 실행해 어느 경로로 가는지 봅니다
sim-inputs-not-kept = 입력을 이 컴퓨터에 저장하지 못했습니다: { $reason }

## 워크플로 편집기

editor-edit = 편집
editor-edit-hint = 이 워크플로를 바꿉니다: 노드 추가·삭제·설정, 실행 취소와 다시 실행 가능
editor-new = 새 워크플로…
editor-new-default = 기본 형태로
editor-new-copy = 이 워크플로를 복사해서
editor-new-name = 새 워크플로
editor-copy-name = { $workflow } 사본
editor-title = 편집 중
editor-unsaved = 저장하지 않은 변경 사항
editor-undo = 실행 취소
editor-undo-hint = 마지막 변경을 취소합니다 (Ctrl+Z)
editor-redo = 다시 실행
editor-redo-hint = 취소한 변경을 다시 적용합니다 (Ctrl+Shift+Z)
editor-save = 저장…
editor-save-blocked = 먼저 문제 목록의 오류 { $count }개를 고치세요
editor-nothing-to-save = 바뀐 내용이 없습니다
editor-close = 편집 끝내기
editor-close-hint = 편집기를 닫습니다 (저장하지 않은 변경 사항이 있으면 먼저 묻습니다)
editor-conflict = 이 워크플로를 연 뒤 서버에서 다른 사람이 변경했습니다.
editor-conflict-reload = 서버 버전 불러오기
editor-conflict-reload-hint = 내 변경을 버리고 서버에 있는 워크플로를 보여 줍니다
editor-conflict-overwrite = 내 버전으로 덮어쓰기
editor-conflict-overwrite-hint = 서버 버전 위에 내 버전을 저장합니다
editor-name = 워크플로 이름
editor-select-a-node = 바꿀 노드를 그래프에서 선택하세요.
editor-loading-types = 노드 유형을 불러오는 중…
editor-add-after = 다음 노드 뒤에 추가: { $node }
editor-add-at-end = 노드 추가
editor-node-heading = 노드 { $node } ({ $code })
editor-make-entry = 시작 노드로 지정
editor-delete-node = 노드 삭제
editor-delete-node-hint = 이 노드로 오던 경로는 다른 곳을 가리키도록 고칠 때까지 문제 목록에 표시됩니다
editor-next = 다음
editor-nowhere = (없음)
editor-routes = 경로 (위에서부터 차례로 확인)
editor-routes-unreadable = 편집기가 보여 줄 수 없는 형태의 경로입니다. 아래 JSON 설정에서 바꾸세요.
editor-route-default = 그 밖의 경우
editor-route-field = 필드
editor-route-value = 값
editor-route-up = 이 경로를 먼저 확인
editor-route-down = 이 경로를 나중에 확인
editor-route-remove = 삭제
editor-route-add = 경로 추가
editor-settings = 설정
editor-required-note = * 표시는 필수 항목입니다.
editor-required = 필수
editor-list-hint = 쉼표로 구분한 값
editor-json-invalid = 아직 올바른 JSON이 아니어서 적용하지 않았습니다
editor-settings-json = JSON으로 설정
editor-settings-json-hint = 노드의 모든 설정 (JSON)
editor-confirm-title = 변경 사항 저장: { $workflow }
editor-confirm-save = 저장
editor-keep-editing = 계속 편집
editor-leave-title = 저장하지 않은 변경 사항
editor-leave-body = 워크플로 "{ $workflow }"의 변경 사항이 저장되지 않았습니다. 버릴까요?
editor-discard = 버리기
editor-change-new = 노드 { $count }개로 워크플로를 만듭니다
editor-change-added = 노드 { $count }개 추가: { $nodes }
editor-change-removed = 노드 { $count }개 삭제: { $nodes }
editor-change-changed = 노드 { $count }개 변경: { $nodes }
editor-change-renamed = 새 이름: { $workflow }
editor-change-entry = 시작 노드: { $node }
editor-saved = 저장했습니다: { $workflow }

## Errors of the backends, the network, the runtime and the writes (area 50-errors)

## What to do after each kind of failed call (src/backends/hopae/api/error.rs)

error-advice-network = 인터넷 연결과 워크스페이스 주소를 확인한 뒤 다시 시도하세요
error-advice-timeout = 서버에 부하가 많거나 네트워크가 느릴 수 있습니다. 1분 뒤 다시 시도하세요(명령줄에서는 --timeout SECONDS로 시간을 늘릴 수 있습니다)
error-advice-redirected = 워크스페이스 주소를 확인하세요. API 주소가 바뀌었다면 새 주소로 연결하세요
error-advice-protocol = 워크스페이스 주소가 Workspace API를 가리키는지 확인하고, 맞다면 고객 지원에 문의하세요
error-advice-rate-limited = 서버에 요청이 많습니다. 잠시 뒤 다시 시도하세요
error-advice-unauthorized = API 키가 올바른지, 폐기되지 않았는지, 이 환경(샌드박스 또는 운영 환경)용인지 확인하세요
error-advice-forbidden = 워크스페이스 소유자에게 이 API 키의 권한을 요청하세요
error-advice-validation = 값을 고친 뒤 다시 시도하세요
error-advice-not-found = 삭제되었을 수 있습니다. 새로 고침으로 목록을 다시 불러오세요
error-advice-conflict = 새로 고침으로 현재 상태를 확인한 뒤 다시 시도하세요
error-advice-idempotency-key-conflict = 이 요청은 처음 보낸 뒤 내용이 바뀌었습니다. 작업을 처음부터 다시 시작하세요
error-advice-request-in-progress = 같은 요청을 아직 처리하고 있습니다. 몇 초 기다린 뒤 다시 시도하세요
error-advice-server = 서버 쪽 문제입니다. 1분 뒤 다시 시도하고, 계속되면 요청 ID와 함께 고객 지원에 문의하세요
error-advice-decode = 서버의 응답을 읽을 수 없습니다. 워크스페이스 주소를 확인하고, 계속되면 요청 ID와 함께 고객 지원에 문의하세요
error-request-id = (요청 ID { $id })
error-server-reported = 서버가 오류를 반환했습니다
error-body-empty = 서버가 { $status } { $reason } 상태 코드와 함께 빈 본문을 보냈습니다
error-body-web-page-titled = 서버가 { $status } { $reason } 상태 코드와 함께 API 오류 대신 웹 페이지를 보냈습니다(제목: "{ $title }")
error-body-web-page = 서버가 { $status } { $reason } 상태 코드와 함께 API 오류 대신 웹 페이지를 보냈습니다
error-body-unknown-format = 서버가 { $status } { $reason } 상태 코드와 함께 알 수 없는 형식의 오류를 보냈습니다
error-body-not-json = 서버가 { $status } { $reason } 상태 코드와 함께 JSON이 아닌 응답을 보냈습니다

## Backends (src/backends/mod.rs, kind.rs, keys.rs, listing.rs, memory/)

backend-unsupported = 이 종류의 워크스페이스에는 { $what } 기능이 없습니다
backend-feature-projects = 프로젝트
backend-feature-deactivation = 비활성화
backend-feature-redirect-uris = 리디렉션 URI
backend-feature-webhooks = 웹훅
backend-feature-app-keys = 앱 키
backend-feature-providers = 인증 제공자
backend-feature-workflows = 워크플로
backend-feature-importing = 가져오기
backend-choose-auth-method = 새 앱의 인증 방식을 선택하세요: basic 또는 private key JWT
backend-pick-project = 먼저 프로젝트를 선택하세요. 앱은 프로젝트에 속합니다
backend-memory-no-address = 메모리 워크스페이스에는 주소가 없습니다. 테스트에서 직접 엽니다
backend-hopae-key-for-zitadel = 이 키는 ZITADEL 개인 액세스 토큰이 아니라 Hopae Connect 워크스페이스 키(sk_workspace_…)입니다. 아무것도 보내지 않았습니다. ZITADEL 콘솔에서 서비스 사용자의 개인 액세스 토큰을 만들거나, 백엔드로 Hopae Connect를 선택하세요
backend-not-a-hopae-key = Hopae Connect 워크스페이스 키가 아닙니다. 워크스페이스 키는 sk_workspace_test_ 또는 sk_workspace_prod_로 시작합니다. 아무것도 보내지 않았습니다. Hopae Connect 대시보드에서 키를 복사하거나, 개인 액세스 토큰이라면 백엔드로 ZITADEL을 선택하세요
backend-kind-memory = 메모리 워크스페이스
backend-key-expiry-not-a-date = 날짜가 아닙니다: "{ $text }". 2027-12-31(UTC 기준 그날이 끝나는 시각), 2027-12-31T18:00:00+09:00 같은 날짜나 never를 입력하세요
backend-key-expiry-past = 이미 지난 시각입니다: { $at }. 키의 만료 시각은 지금보다 뒤여야 합니다
backend-key-never = 없음
backend-listing-too-large = { $host } 서버의 목록이 끝나지 않은 채 응답 크기가 { $mb }MB를 넘어서 중단했습니다. 서버가 같은 페이지를 되풀이해 보내고 있을 가능성이 큽니다. 나중에 다시 시도하거나 서버 관리자에게 문의하세요
backend-listing-timeout = { $host } 서버의 목록이 { $time } 안에 끝나지 않아 중단했습니다. 나중에 다시 시도하거나 --timeout 값을 늘리세요
backend-minutes = { $n }분
backend-memory-failed-earlier = 메모리 워크스페이스가 앞선 호출에서 실패했습니다
backend-memory-answer-lost = 응답이 오기 전에 연결이 끊겼습니다
backend-memory-server-problem = 서버에 문제가 생겼습니다(503). 잠시 뒤 다시 시도하세요
backend-memory-app-not-found = 이 워크스페이스에서 앱을 찾을 수 없습니다: { $id }
backend-memory-project-not-found = 프로젝트를 찾을 수 없습니다
backend-memory-key-reused = 이 멱등성 키는 다른 요청에 이미 쓰였습니다
backend-memory-no-secret = "{ $name }" 앱은 키로 서명하므로 재발급할 시크릿이 없습니다
backend-memory-webhook-unreadable = 웹훅 변경 사항을 읽을 수 없습니다: { $error }
backend-memory-webhook-needs-url = 켜진 웹훅에는 전달할 주소가 있어야 합니다
backend-memory-provider-unreadable = 인증 제공자를 읽을 수 없습니다: { $error }

## The Hopae Connect client (src/backends/hopae/)

hopae-deadline-passed = { $host } 서버가 { $wait } 안에 응답을 마치지 않았습니다
hopae-invalid-path = 올바른 주소가 아닙니다: "{ $path }"
hopae-no-connection-within = { $host } 서버가 { $wait } 안에 연결을 받아들이지 않았습니다
hopae-could-not-connect = { $host } 서버에 연결할 수 없습니다
hopae-sent-nothing = { $host } 서버가 { $wait } 동안 아무것도 보내지 않았습니다
hopae-lost-while-reading = 서버의 응답을 읽는 중에 { $host } 서버와의 연결이 끊겼습니다
hopae-connection-failed = { $host } 서버와의 연결에 실패했습니다
hopae-answer-too-large = { $host } 서버의 응답이 이 콘솔이 읽는 최대 크기인 { $mb }MB보다 커서 거부했습니다
hopae-redirected-to = { $host } 서버가 다른 주소로 리디렉션했습니다: { $target }(HTTP { $status }). 리디렉션은 따라가지 않습니다
hopae-redirected-nowhere = { $host } 서버가 쓸 수 있는 주소 없이 리디렉션으로 응답했습니다(HTTP { $status }). 리디렉션은 따라가지 않습니다
hopae-list-announced-too-many = { $host } 서버가 앱이 { $total }개라고 알렸습니다. 이 콘솔이 나열하는 최대 { $max }개보다 많습니다
hopae-list-first-page-empty = { $host } 서버가 앱이 { $total }개라고 알렸지만 첫 페이지에 하나도 보내지 않았습니다
hopae-list-same-apps = { $host } 서버가 같은 앱을 계속 보냈습니다(페이지 오프셋 { $offset } 값을 무시함)
hopae-list-sent-too-many = { $host } 서버가 이 콘솔이 나열할 수 있는 최대치(앱 { $max }개)보다 많은 앱을 보냈습니다
hopae-decode-not-a-list = 서버의 응답을 읽을 수 없습니다. 앱 목록 대신 다른 값이 왔습니다: { $found }
hopae-decode-unexpected-value = 서버의 응답을 읽을 수 없습니다. `{ $field }` 필드의 값이 예상과 다릅니다
hopae-decode-unreadable-field = 서버의 응답을 읽을 수 없습니다. `{ $field }` 필드를 읽을 수 없습니다
hopae-decode-empty = 서버의 응답을 읽을 수 없습니다. 응답이 비어 있습니다
hopae-decode-web-page = 서버의 응답을 읽을 수 없습니다. 서버가 JSON 대신 웹 페이지를 보냈습니다
hopae-decode-cut-off = 서버의 응답을 읽을 수 없습니다. 응답이 끝나기 전에 잘렸습니다
hopae-decode-not-json = 서버의 응답을 읽을 수 없습니다. 응답이 올바른 JSON이 아닙니다({ $line }번째 줄, { $column }번째 문자)
# same-as-english
hopae-json-null = null
hopae-json-boolean = 불리언 값
hopae-json-number = 숫자
hopae-json-string = 문자열
hopae-json-list = 목록
hopae-json-object = 객체
hopae-no-app-list = { $host } 서버의 이 주소에는 앱 목록이 없습니다(HTTP 404). 워크스페이스 주소는 보통 /connect/v1로 끝납니다
hopae-batch-size = 배치 하나에는 앱이 1~{ $max }개 있어야 합니다(현재 { $count }개)
hopae-no-webhook-change = 저장할 웹훅 변경 사항이 없습니다
hopae-not-a-workflow-id = 워크플로 ID가 아닙니다: "{ $id }". 워크플로 ID는 wf_6ec9b183 같은 형식입니다
hopae-not-a-client-id = 클라이언트 ID가 아닙니다: "{ $id }". 클라이언트 ID는 HqTRDIYH처럼 영문자와 숫자로 되어 있습니다
hopae-name-empty = 앱 이름이 비어 있습니다. 이름을 입력하세요
hopae-name-too-long = 앱 이름이 { $count }자입니다. { $max }자 이하로 줄이세요
hopae-name-control-character = 앱 이름에 줄바꿈이나 제어 문자가 있습니다. 해당 문자를 지우세요
hopae-redirect-address-problem = { $number }번째 리디렉션 주소({ $uri }): { $problem }
hopae-encode-failed = 요청을 인코딩할 수 없습니다: { $error }
hopae-address-not-web = 웹 주소가 아닙니다: "{ $address }". { $example } 같은 주소를 사용하세요
hopae-address-no-host = 워크스페이스 주소에 호스트 이름이 없습니다
hopae-address-plain-http = 워크스페이스 주소는 https://로 시작해야 합니다(일반 http는 이 컴퓨터의 주소에만 사용할 수 있습니다). 다음 주소를 사용하세요: { $address }
hopae-address-scheme = 워크스페이스 주소는 https://로 시작해야 합니다(현재: { $scheme }://)
hopae-no-api-key = API 키가 없습니다. Hopae Console의 Developers > Workspace API Keys에서 API 키를 만드세요
hopae-not-a-workspace-key = 워크스페이스 API 키가 아닌 것 같습니다(워크스페이스 API 키는 sk_workspace_로 시작합니다). Hopae Console에서 다시 복사하세요
hopae-production-key-on-sandbox = 운영 환경 키(sk_workspace_prod_)는 샌드박스에서 사용할 수 없습니다. sk_workspace_test_ 키를 사용하거나 다음 주소로 연결하세요: { $url }
hopae-test-key-on-production = 테스트 키(sk_workspace_test_)는 운영 환경에서 사용할 수 없습니다. sk_workspace_prod_ 키를 사용하거나 다음 주소로 연결하세요: { $url }
hopae-uri-empty = 주소가 비어 있습니다
hopae-uri-too-long = 주소가 { $max }자보다 깁니다. 주소를 줄이세요
hopae-uri-fragment = 주소에서 # 뒤의 부분(프래그먼트)을 지우세요. 리디렉션 주소에는 넣을 수 없습니다
hopae-uri-not-full = 완전한 웹 주소가 아닙니다. https://example.com/callback처럼 입력하세요
hopae-uri-no-host = 주소에 호스트가 없습니다. https://example.com/callback처럼 입력하세요
hopae-uri-plain-http = https://를 사용하세요(일반 http는 localhost 주소에만 사용할 수 있습니다)
hopae-uri-scheme = https://를 사용하세요. { $scheme }:// 방식은 사용할 수 없습니다
hopae-uri-start-https = 주소를 https://로 시작하세요
hopae-uri-too-many = 앱 하나에 리디렉션 주소는 최대 { $max }개입니다. { $extra }개를 지우세요
hopae-webhook-fragment = 주소에서 # 뒤의 부분(프래그먼트)을 지우세요. 웹훅 주소에는 넣을 수 없습니다
hopae-webhook-https-only = https:// 주소를 사용하세요. 웹훅은 https로만 전달됩니다
hopae-event-empty = 비어 있는 이벤트 이름이 있습니다. 지우거나 verification.completed 같은 이름을 입력하세요
hopae-event-too-long = 이벤트 이름이 { $max }자보다 깁니다
hopae-event-not-a-name = 이벤트 이름이 아닙니다: "{ $name }". 이벤트 이름에는 verification.completed처럼 공백이 없습니다
hopae-webhook-retry-range = 재시도 횟수는 { $min }~{ $max } 사이여야 합니다(입력값: { $value })
hopae-webhook-timeout-range = 제한 시간은 { $min }~{ $max }초 사이여야 합니다(입력값: { $value })
hopae-webhook-too-many-events = 웹훅 하나에는 이벤트를 최대 { $max }개까지 넣을 수 있습니다
hopae-activation-not-activated = 활성화되지 않음
hopae-activation-requested = 요청됨
hopae-activation-processing = 처리 중
hopae-activation-rejected = 거부됨
hopae-activation-activated = 활성화됨

## The ZITADEL client (src/backends/zitadel/)

zitadel-in-org = {" "}(조직 { $org })
zitadel-no-reason = 사유 없음
zitadel-api-not-found = 이 주소에서 관리 API를 찾을 수 없습니다{ $in_org }. ZITADEL 인스턴스 주소가 맞는지 확인하세요
zitadel-project-not-found = 프로젝트를 찾을 수 없습니다: { $project }{ $in_org }
zitadel-key-not-found = 키를 찾을 수 없습니다(앱 { $app }). 이미 삭제되었을 수 있습니다. 키 목록을 불러와 남은 키를 확인하세요
zitadel-app-not-found = 앱을 찾을 수 없습니다: { $app } (프로젝트 { $project }){ $in_org }
zitadel-name-taken = 이 프로젝트에 같은 이름의 앱이 이미 있습니다
zitadel-no-permission-projects = 이 토큰에는 프로젝트 목록을 볼 권한(project.read)이 없습니다{ $in_org }
zitadel-no-permission-write = 이 토큰에는 앱을 바꿀 권한(project.app.write)이 없습니다(프로젝트 { $project }){ $in_org }
zitadel-no-permission-read = 이 토큰에는 앱을 읽을 권한(project.app.read)이 없습니다(프로젝트 { $project }){ $in_org }
zitadel-token-rejected = ZITADEL 인스턴스가 토큰을 거부했습니다. 토큰이 잘못되었거나, 만료 또는 폐기되었거나, 다른 인스턴스의 토큰입니다
zitadel-project-not-found-or-hidden = 프로젝트를 찾을 수 없거나 이 토큰으로 볼 수 없습니다: { $project }{ $in_org }
zitadel-same-name = 앱 이름이 이미 이 이름입니다. 바꿀 내용이 없습니다
zitadel-already-inactive = { $app } 앱은 이미 비활성 상태입니다
zitadel-already-active = { $app } 앱은 이미 활성 상태입니다
zitadel-app-takes-no-keys = { $app } 앱은 private key JWT로 로그인하지 않으므로 키를 추가할 수 없습니다(basic 앱은 클라이언트 시크릿을 씁니다)
zitadel-wrong-state = 앱이 이 작업을 허용하는 상태가 아니어서 ZITADEL이 거부했습니다({ $reason })
zitadel-refused = ZITADEL이 요청을 거부했습니다: { $reason }
zitadel-slow-down = 요청이 너무 많아 ZITADEL이 요청 속도를 줄여 달라고 합니다
zitadel-unimplemented = 이 ZITADEL 인스턴스는 이 호출을 제공하지 않습니다. 인스턴스 주소와 서버 버전을 확인하세요
zitadel-aborted = 동시에 다른 변경이 있어 ZITADEL이 이 변경을 중단했습니다
zitadel-cancelled = 요청이 취소되었습니다
zitadel-deadline-exceeded = ZITADEL이 제시간에 요청을 끝내지 못했습니다
zitadel-unavailable = 지금은 ZITADEL을 사용할 수 없습니다
zitadel-internal = ZITADEL이 내부 오류를 알렸습니다({ $reason })
zitadel-no-id = (없음)
zitadel-no-answer-in-time = { $host } 서버의 ZITADEL 인스턴스가 제시간에 응답하지 않았습니다
zitadel-could-not-connect = { $host } 서버의 ZITADEL 인스턴스에 연결할 수 없습니다
zitadel-lost-while-reading = { $host } 서버의 ZITADEL 인스턴스 응답을 읽는 중에 연결이 끊겼습니다
zitadel-connection-failed = { $host } 서버의 ZITADEL 인스턴스와의 연결에 실패했습니다
zitadel-page-size = 한 페이지에는 앱이 1~{ $max }개 들어갑니다(요청: { $limit }개)
zitadel-app-not-found-by-either-id = 앱을 찾을 수 없습니다(앱 ID 또는 클라이언트 ID: { $app }, 프로젝트: { $project })
zitadel-secret-not-api-app = { $label }: { $kind } 앱입니다. 이 콘솔은 API 앱의 시크릿만 발급하므로 ZITADEL 콘솔을 사용하세요
zitadel-secret-key-app = { $label }: 키로 서명하는 앱(private key JWT)이라 클라이언트 시크릿이 없습니다. 대신 ZITADEL 콘솔에서 키를 추가하거나 바꾸세요
zitadel-secret-unknown-method = { $label }: 이 콘솔이 모르는 인증 방식을 쓰는 앱이라 시크릿을 발급하지 않았습니다. ZITADEL 콘솔에서 앱을 확인하세요
zitadel-no-new-secret = ZITADEL이 새 시크릿 없이 응답했습니다. ZITADEL 콘솔에서 시크릿을 재발급하세요
zitadel-address-no-path = ZITADEL 인스턴스 주소에 경로를 붙일 수 없습니다
zitadel-deadline-passed = { $host } 서버의 ZITADEL 인스턴스가 { $wait } 안에 응답을 마치지 않았습니다
zitadel-too-many-rows = ZITADEL이 목록 하나에 이 콘솔이 읽을 수 있는 최대치({ $max }행)보다 많은 행을 보냈습니다
zitadel-same-page = ZITADEL이 다음 페이지 대신 같은 페이지를 다시 보내서 목록을 끝까지 읽을 수 없었습니다
zitadel-endless-pages = ZITADEL이 꽉 찬 페이지를 계속 보내서({ $size }행씩 { $pages }페이지) 목록을 끝까지 읽지 않았습니다
zitadel-listing-failed-earlier = 이전 페이지에서 목록을 읽지 못했습니다
zitadel-id-of-project = 프로젝트
zitadel-id-of-app = 앱
zitadel-id-of-key = 키
zitadel-not-an-id = ZITADEL { $kind } ID가 아닙니다: "{ $id }". ZITADEL 콘솔이나 `projects list` / `apps list`에서 ID를 복사하세요
zitadel-app-label-id = 앱 { $id }
zitadel-app-label-name = 앱 "{ $name }"
zitadel-key-file-missing = ZITADEL이 키를 추가했지만 읽을 수 있는 키 파일을 보내지 않았습니다(키 { $key }). 그 키를 삭제하고 다른 키를 추가하세요
zitadel-key-file-not-text = ZITADEL이 키를 추가했지만 키 파일이 텍스트가 아닙니다(키 { $key }). 그 키를 삭제하고 다른 키를 추가하세요
zitadel-address-not-web = 웹 주소가 아닙니다: "{ $address }". https://example-abc123.zitadel.cloud 같은 인스턴스 주소를 사용하세요
zitadel-address-no-host = ZITADEL 인스턴스 주소에 호스트 이름이 없습니다. https://example-abc123.zitadel.cloud 같은 주소를 사용하세요
zitadel-address-plain-http = ZITADEL 인스턴스 주소는 https://로 시작해야 합니다(일반 http는 이 컴퓨터의 주소에만 사용할 수 있습니다). 다음 주소를 사용하세요: { $address }
zitadel-address-scheme = ZITADEL 인스턴스 주소는 https://로 시작해야 합니다(현재: { $scheme }://)
zitadel-address-no-management-path = ZITADEL 인스턴스 주소에 관리 API 경로를 붙일 수 없습니다
zitadel-no-token = 개인 액세스 토큰이 없습니다. ZITADEL 콘솔에서 서비스 사용자의 토큰을 만드세요(Users > Service Users > Personal Access Tokens)
zitadel-token-bad-characters = 개인 액세스 토큰에 공백, 줄바꿈 등 토큰에 들어갈 수 없는 문자가 있습니다. 다시 복사하세요
zitadel-token-is-hopae-key = 이 키는 ZITADEL 개인 액세스 토큰이 아니라 Hopae Connect 워크스페이스 키(sk_workspace_…)입니다. 이 키를 사용하려면 Hopae Connect를 선택하고, 아니면 서비스 사용자의 토큰을 붙여 넣으세요
zitadel-not-an-org-id = 조직 ID가 아닙니다: "{ $id }". ZITADEL 콘솔의 조직 페이지에서 ID(2987654321000001 같은 숫자)를 복사하세요
zitadel-add-key-not-key-app = "{ $name }"({ $id }) 앱은 private key JWT로 로그인하지 않으므로 키를 추가할 수 없습니다. 아무것도 보내지 않았습니다. basic 앱은 대신 클라이언트 시크릿을 씁니다
zitadel-import-pick-project = 먼저 도구 모음에서 프로젝트를 선택하세요. 앱은 그 프로젝트에 만들어집니다

## The network between the console and a server (src/backends/net/)

net-seconds = { $n }초
net-trust-fix = 회사 네트워크가 보안 연결을 검사하거나 서버가 회사 자체 인증 기관(CA)을 쓴다면, 그 인증 기관의 인증서(PEM 파일)를 --ca-file FILE 또는 CONNECT_CA_FILE로 지정하거나, SSL_CERT_FILE에 그 인증서가 든 번들을 지정하거나, 연결 대화 상자에서 "인증 기관(CA) 파일…"을 선택하세요
net-proxy-timeout = { $wait } 안에 프록시도, 그 뒤의 { $target } 서버도 응답하지 않았습니다. 프록시: { $proxy }
net-invalid-host-name = 올바른 호스트 이름이 아닙니다: { $host } (63자보다 긴 부분이 있거나 호스트 이름에 쓸 수 없는 문자가 있음). 주소를 확인하세요
net-cert-issued-self-signed = 자체 서명 인증서, 서명자: { $issuer }
net-cert-issued-by = 발급자: { $issuer }
net-cert-issued-unknown = 발급자를 알 수 없음
net-cert-not-in-ca-file = , 이 컴퓨터에서도 인증 기관 파일({ $path })에서도 신뢰하지 않는 발급자
net-cert-not-trusted-here = , 이 컴퓨터에서 신뢰하지 않는 발급자
net-cert-untrusted = { $host } 서버의 인증서를 신뢰할 수 없습니다({ $issued }{ $not_in }). { $fix }
net-cert-dates = { $host } 서버의 인증서가 유효 기간을 벗어났습니다(만료되었거나 아직 유효하지 않음). 이 컴퓨터의 날짜와 시간이 맞는지 확인하고, 맞다면 서버 관리자에게 알리세요
net-cert-other-name = { $host } 서버가 보낸 인증서는 다른 이름의 인증서입니다. 주소를 확인하세요. 주소가 맞다면 네트워크의 다른 무언가가 서버 대신 응답하고 있을 수 있습니다
net-cert-self-signed-authority = { $host } 서버의 인증서{ $who }: 자체 서명되었고 인증 기관으로 표시되어 있어, 신뢰 여부와 관계없이 서버를 식별하는 데 쓸 수 없습니다. 서버 관리자에게 인증 기관이 발급한 인증서를 요청하세요(회사 자체 인증 기관도 되며, --ca-file로 지정합니다)
net-cert-revoked = { $host } 서버의 인증서는 발급 기관이 폐기했습니다. 서버 관리자에게 알리세요
net-cert-refused = { $host } 서버의 인증서가 거부되었습니다({ $cause }). 서버 관리자에게 알리거나, { $fix }
net-handshake = { $host } 서버와 보안 연결을 맺을 수 없습니다({ $reason }). 주소가 맞는지, 그 주소에서 서버가 https로 응답하는지 확인하세요
net-dns-no-answer = { $host } 서버의 주소를 조회할 수 없습니다. 응답한 네임 서버가 없습니다
net-unknown-host = { $host } 호스트를 찾을 수 없습니다(이름을 확인할 수 없음). 주소에 오타가 없는지 확인하고, 프록시를 거쳐야만 인터넷에 연결되는 회사 네트워크라면 HTTPS_PROXY를 설정하세요
net-proxy-bad-credentials = 프록시가 환경 변수 { $var } 값에 있는 사용자 이름과 비밀번호를 거부했습니다(407 Proxy Authentication Required 응답). { $var } 값에서 바로잡으세요(http://USER:PASSWORD@host:port). 프록시: { $proxy }
net-proxy-needs-credentials = 프록시가 사용자 이름과 비밀번호를 요구합니다(407 Proxy Authentication Required 응답). 환경 변수 { $var } 값에 http://USER:PASSWORD@host:port 형식으로 넣으세요. 프록시: { $proxy }
net-proxy-closed = { $target } 서버로 연결을 열어 달라는 요청에 프록시가 연결을 닫았습니다. 환경 변수 { $var } 값의 프록시 주소를 확인하세요. 프록시: { $proxy }
net-proxy-not-found = 프록시를 찾을 수 없습니다. { $host } 호스트의 이름을 확인할 수 없습니다. 환경 변수 { $var } 값의 프록시 주소를 확인하세요. 프록시: { $proxy }
net-proxy-unreachable = 프록시에 연결할 수 없습니다({ $reason }). 환경 변수 { $var } 값의 프록시 주소를 확인하고, 이 네트워크에 프록시가 필요 없다면 { $var } 설정을 지우세요. 프록시: { $proxy }
net-proxy-could-not-reach = 프록시가 { $target } 서버에 닿지 못했습니다({ $status } { $reason } 응답). 주소를 확인하세요. 주소가 맞다면 서버가 멈췄거나 프록시가 닿을 수 없는 곳에 있을 수 있습니다. 프록시: { $proxy }
net-proxy-refused-status = 프록시가 { $target } 서버로 연결을 여는 것을 거부했습니다({ $status } { $reason } 응답). 네트워크 관리자에게 { $target } 서버를 허용해 달라고 요청하거나, 프록시 없이 닿을 수 있다면 그 호스트를 NO_PROXY에 추가하세요. 프록시: { $proxy }
net-proxy-refused = 프록시가 { $target } 서버로 연결을 여는 것을 거부했습니다. 네트워크 관리자에게 { $target } 서버를 허용해 달라고 요청하거나, 프록시 없이 닿을 수 있다면 그 호스트를 NO_PROXY에 추가하세요. 프록시: { $proxy }
net-io-no-answer = 응답 없음
net-io-refused = 연결이 거부됨
net-io-reset = 연결이 재설정됨
net-io-timed-out = 제시간에 응답하지 않음
net-proxy-named = { $url }(출처: { $var })
net-proxy-not-web-address = 환경 변수 { $var } 값의 프록시 주소가 웹 주소가 아닙니다. 주소를 고치거나(예: http://proxy.example:3128) { $var } 설정을 지우세요
net-proxy-scheme = 환경 변수 { $var } 값의 프록시는 이 콘솔이 지원하지 않는 { $scheme }:// 방식을 씁니다. http:// 또는 https:// 프록시를 쓰거나 { $var } 설정을 지우세요
net-proxy-unusable = 환경 변수 { $var } 값의 프록시 주소를 쓸 수 없습니다. 주소를 고치거나 { $var } 설정을 지우세요
net-http-client-failed = HTTP 클라이언트를 시작할 수 없습니다: { $error }
net-ca-file-problem = 인증 기관 파일 { $path }: { $problem }. -----BEGIN CERTIFICATE----- 블록이 든 PEM 형식의 인증 기관 인증서를 선택하세요
net-ca-file-not-authority = 인증 기관 파일 { $path }: 인증 기관으로 쓸 수 없는 인증서가 있습니다. -----BEGIN CERTIFICATE----- 블록이 든 PEM 형식의 인증 기관 인증서를 선택하세요
net-certificate-checks-failed = 인증서 검사를 준비할 수 없습니다: { $error }
net-tls-setup-failed = TLS를 준비할 수 없습니다: { $error }
net-ssl-cert-file-problem = SSL_CERT_FILE이 가리키는 파일 { $path }: { $problem }. SSL_CERT_FILE 값을 고치거나 설정을 지우세요
net-ssl-cert-file-not-authority = SSL_CERT_FILE이 가리키는 파일 { $path }: 인증 기관으로 쓸 수 없는 인증서가 있습니다. SSL_CERT_FILE 값을 고치거나 설정을 지우세요
net-ssl-cert-dir-unreadable = SSL_CERT_DIR이 가리키는 경로는 읽을 수 있는 폴더가 아닙니다: { $path }({ $reason }). SSL_CERT_DIR 값을 고치거나 설정을 지우세요
net-file-unreadable = 읽을 수 없습니다({ $reason })
net-file-too-large = { $mb }MB보다 커서 인증서 번들일 수 없습니다
net-file-no-certificate = 인증서가 없습니다
net-file-malformed = 읽을 수 없는 인증서 블록이 있습니다
net-file-is-folder = 폴더입니다
net-no-such-file = 파일이 없음
net-permission-denied = 권한이 없음

## Writes and their words (src/ops/)

ops-redirect-uri-not-saved = 앱은 만들었지만 리디렉션 URI는 저장하지 못했습니다({ $reason }). 앱 세부 정보의 리디렉션 URI에서 추가하세요.
ops-create-lost-not-found = { $error }. "{ $name }" 이름의 앱이 없으므로 만들어지지 않았습니다. 다시 시도하세요
ops-create-lost-found = 만들기 요청의 응답을 받지 못했는데, 지금 "{ $name }" 이름의 앱이 있습니다(앱 ID { $id }). 이번 실행에서 만든 앱인지 같은 순간 동료가 만든 앱인지 알 수 없어 시크릿을 발급하지 않았습니다. 내 앱이라면 시크릿을 재발급하세요(세부 정보의 "시크릿 재발급…" 또는 `connect-console apps rotate-secret { $id }`). 아니라면 다른 이름으로 앱을 다시 만드세요
ops-key-file-exists = 이미 있는 파일입니다: { $path }. 키 파일은 다른 파일을 덮어쓰지 않습니다. 새 파일 이름을 지정하세요
ops-key-file-not-created = 파일을 만들 수 없습니다: { $path } ({ $error }). 쓸 수 있는 폴더를 선택하세요
ops-not-a-key = 서버가 키가 아닌 다른 것을 보냈습니다
ops-key-file-failed-deleted = 키를 추가했지만 키 파일을 쓸 수 없어({ $error }) 키를 다시 삭제했습니다(키 { $key }). 디스크 공간을 확보하거나 다른 폴더를 선택한 뒤 키를 다시 추가하세요
ops-key-file-failed-kept = 키를 추가했지만 키 파일을 쓸 수 없었고({ $error }) 키를 다시 삭제하지도 못했습니다. 키 { $key } 항목을 삭제하고(아무도 그 파일을 갖고 있지 않습니다) 다른 키를 추가하세요
ops-keys-not-listed = 목록을 불러올 수 없음
ops-key-add-unknown = { $error }. 키가 추가되었는지 알 수 없습니다. 추가되었더라도 키 파일을 받지 못했으므로 쓸 수 없습니다. 현재 앱의 키: { $keys }. 출처를 알 수 없는 키는 삭제한 뒤 키를 다시 추가하세요
ops-keys-none = 없음
ops-key-expires = { $key }(만료: { $expires })
ops-key-never-expires = { $key }(만료 없음)
ops-the-workspace = 워크스페이스
# same-as-english
write-app-named = "{ $name }" ({ $id })
# same-as-english
write-app-quoted = "{ $name }"
write-summary-create = "{ $name }" 앱을 만듭니다.
write-summary-rename = { $app } 앱의 이름을 바꿉니다. 새 이름: "{ $name }".
write-summary-rotate-secret = { $app } 앱의 클라이언트 시크릿을 재발급합니다.
write-summary-redirect-uris = { $app } 앱의 리디렉션 URI를 주소 { $count }개로 바꿉니다.
write-summary-reactivate = { $app } 앱을 다시 활성화합니다.
write-summary-deactivate = { $app } 앱을 비활성화합니다.
write-summary-webhook = { $app } 앱의 웹훅을 바꿉니다({ $fields }).
write-summary-rotate-webhook-secret = { $app } 앱의 웹훅 시크릿을 재발급합니다.
write-summary-add-key = { $app } 앱에 키를 추가합니다(만료: { $expires }).
write-summary-delete-key = { $app } 앱의 키를 삭제합니다(키 { $key }). 이 키로 서명하는 모든 것이 더 이상 작동하지 않습니다.
write-summary-create-workflow = { $app } 앱에 "{ $workflow }" 워크플로(노드 { $count }개)를 만듭니다.
write-summary-update-workflow = { $app } 앱의 워크플로 "{ $workflow }"({ $workflow_id }) 내용을 노드 { $count }개로 바꿉니다.
write-done-create = "{ $name }" 앱을 만들었습니다
write-done-rename = 이름을 바꿨습니다: "{ $name }"
write-done-rotate-secret = { $app } 앱의 새 클라이언트 시크릿을 발급했습니다. 이전 시크릿은 더 이상 작동하지 않습니다
write-done-redirect-uris = { $app } 앱의 리디렉션 URI { $count }개를 저장했습니다
write-done-reactivate = { $app } 앱을 다시 활성화했습니다
write-done-deactivate = { $app } 앱을 비활성화했습니다
write-done-webhook = { $app } 앱의 웹훅을 저장했습니다
write-done-rotate-webhook-secret = { $app } 앱의 새 웹훅 시크릿을 발급했습니다
write-done-add-key = { $app } 앱에 키를 추가했습니다
write-done-delete-key = 키를 삭제했습니다: { $key }
write-done-create-workflow = "{ $workflow }" 워크플로를 만들었습니다
write-done-update-workflow = "{ $workflow }" 워크플로를 저장했습니다
write-failed-create = "{ $name }" 앱을 만들지 못했습니다
write-failed-rename = { $id } 앱의 이름을 바꾸지 못했습니다
write-failed-rotate-secret = { $id } 앱의 시크릿을 재발급하지 못했습니다. 현재 시크릿은 계속 작동합니다
write-failed-redirect-uris = { $id } 앱의 리디렉션 URI를 저장하지 못했습니다
write-failed-reactivate = { $id } 앱을 다시 활성화하지 못했습니다
write-failed-deactivate = { $id } 앱을 비활성화하지 못했습니다
write-failed-webhook = { $id } 앱의 웹훅을 바꾸지 못했습니다
write-failed-rotate-webhook-secret = { $id } 앱의 웹훅 시크릿을 재발급하지 못했습니다. 현재 시크릿은 계속 작동합니다
write-failed-add-key = { $id } 앱에 키를 추가하지 못했습니다
write-failed-delete-key = 키를 삭제하지 못했습니다: { $key }
write-failed-create-workflow = "{ $workflow }" 워크플로를 만들지 못했습니다
write-failed-update-workflow = "{ $workflow }" 워크플로를 바꾸지 못했습니다

## The background runtime (src/runtime/) and the export (src/export.rs)

runtime-sandbox-start-failed = 로컬 샌드박스를 시작할 수 없습니다: { $error }
runtime-start-failed = 백그라운드 런타임을 시작할 수 없습니다: { $error }
runtime-no-activity-log = 활동 기록이 없습니다. 이 계정에는 활동 기록을 보관할 홈 폴더가 없습니다
runtime-no-saved-key = 이 주소에 저장된 API 키가 없습니다. 워크스페이스의 API 키를 붙여 넣으세요
runtime-local-sandbox-failed = 로컬 샌드박스를 시작할 수 없습니다({ $error }). 다시 시도하거나 콘솔을 다시 시작하세요
runtime-import-not-started = 가져오기를 시작할 수 없습니다: { $error }
runtime-no-journal-folder = 가져오기 저널을 둘 폴더가 없습니다
runtime-file-not-saved = { $path } 파일을 저장하지 못했습니다: { $error }. 다른 폴더를 선택하거나 디스크 공간을 확보하세요
runtime-image-not-saved = 이미지를 저장하지 못했습니다({ $error }). 다른 폴더를 선택한 뒤 다시 시도하세요: { $path }
runtime-image-empty = 그래프 영역이 비어 있어 저장할 이미지가 없습니다
runtime-no-file-manager = 파일 관리자를 시작할 수 없습니다({ $opener }: { $error })
runtime-file-manager-failed = 파일 관리자가 열리지 않았습니다({ $opener } 응답: { $status })
runtime-filter-csv = CSV 파일
runtime-filter-all = 모든 파일
runtime-filter-png = PNG 이미지
runtime-filter-keys = 키 파일
export-format-unknown = 형식이 올바르지 않습니다: "{ $text }". csv 또는 json 중 하나를 지정하세요

## 서버의 거부를 코드에 따라 사용자의 언어로 씁니다 (영어 콘솔은 서버의 문장을 그대로 보여 줍니다).
error-server-app-not-found = 이 워크스페이스에서 앱을 찾을 수 없습니다: { $id }
error-server-workflow-not-found = 워크플로를 찾을 수 없습니다: { $id }
error-server-not-found = 요청한 항목을 찾을 수 없습니다
error-server-missing-parameter = 필수 값이 빠졌습니다: { $parameter }
error-server-invalid-parameter = 서버가 { $parameter } 값을 거부했습니다: { $server }
error-server-refused = 서버가 요청을 거부했습니다: { $server }
error-server-unauthorized = API 키가 거부되었습니다
error-server-forbidden = 이 API 키로는 할 수 없는 작업입니다
error-server-conflict = 워크스페이스의 현재 상태와 충돌합니다: { $server }
error-server-rate-limited = 요청이 너무 많습니다
error-server-key-conflict = 이 멱등성 키는 이미 다른 요청에 쓰였습니다
error-server-in-progress = 같은 요청을 아직 처리하고 있습니다
error-server-internal = 서버가 요청을 처리하는 중에 오류가 발생했습니다
write-workflow-changed-on-server = 이 워크플로를 연 뒤 서버에서 다른 사람이 변경했습니다

## 명령줄(src/cli, src/main.rs): 오류, 확인 질문, 경고, 진행 상황, 텍스트 표.
## `--json` 출력, `-v` 로그, `--help`는 바꾸지 않습니다.

## 모든 명령에 쓰이는 줄

cli-error = 오류: { $message }
cli-warning = 경고: { $message }
cli-runtime-failed = 비동기 런타임을 시작할 수 없습니다: { $error }
cli-no-window-hint = 창 없이도 명령줄은 쓸 수 있습니다. `connect-console --help`를 참고하세요.
cli-json-failed = JSON을 쓸 수 없습니다: { $error }
cli-read-answer-failed = 입력을 읽을 수 없습니다: { $error }
cli-unexpected-answer = 서버의 응답이 요청한 변경과 맞지 않습니다
cli-create-other-answer = 서버가 만들기 요청에 예상과 다른 응답을 보냈습니다
cli-not-configured = 설정된 워크스페이스가 없습니다. CONNECT_API_KEY에 워크스페이스 API 키를 설정하거나(Hopae가 아닌 서버라면 CONNECT_BASE_URL도 설정) --api-key와 --base-url을 지정하세요. 계정 없이 써 보려면 `connect-console sandbox --demo`를 실행하고 CONNECT_BASE_URL=http://127.0.0.1:8787/connect/v1 CONNECT_API_KEY=sk_workspace_test_demo 값을 사용하세요
cli-production-note = 참고: 운영 환경(PRODUCTION) 워크스페이스에 연결했습니다
cli-hopae-no-keys = Hopae Connect 앱에는 키가 없습니다. 키는 private key JWT로 로그인하는 ZITADEL 앱에만 있습니다(--backend zitadel)
cli-flag-problem = { $flag } 옵션: { $error }
cli-flag-problem-nothing-sent = { $flag } 옵션: { $error }. 아무것도 보내지 않았습니다

## 확인: `$what`은 cli-what-… 문구 중 하나입니다

cli-confirm-refused = 운영 환경 워크스페이스에서는 확인 없이 진행하지 않습니다: { $what } ({ $place }). 아무것도 보내지 않았습니다. 확인하려면 --yes를 추가하세요
cli-refused-unconfirmed = 확인 없이는 진행하지 않습니다: { $what }. 아무것도 보내지 않았습니다. 확인하려면 --yes를 추가하세요
cli-confirm-production = 운영 환경(PRODUCTION) 워크스페이스입니다: { $place }. 변경 사항이 실제 고객에게 바로 반영됩니다.
cli-confirm-type-yes = { $what } — 계속하려면 yes를 입력하세요:
cli-cancelled = 취소했습니다. 아무것도 바꾸지 않았습니다
cli-cancelled-secret = 취소했습니다. 시크릿은 바뀌지 않았습니다
cli-cancelled-webhook-secret = 취소했습니다. 웹훅 시크릿은 바뀌지 않았습니다
cli-cancelled-key = 취소했습니다. 키를 삭제하지 않았습니다
cli-confirm-rotate-secret = { $app } 앱의 현재 시크릿은 즉시 작동을 멈춥니다. 재발급할까요? [y/N]
cli-confirm-issue-secret = { $app } 앱의 현재 시크릿은 즉시 작동을 멈춥니다. 새 시크릿을 발급할까요? [y/N]
cli-confirm-rotate-webhook-secret = { $app } 앱의 현재 웹훅 시크릿으로 만든 서명은 즉시 검증에 실패합니다. 재발급할까요? [y/N]
cli-confirm-reactivate = { $app } 앱이 다시 로그인을 허용합니다. 다시 활성화할까요? [y/N]
cli-confirm-deactivate = { $app } 앱은 다시 활성화할 때까지 로그인을 거부합니다. 비활성화할까요? [y/N]
cli-confirm-delete-key = { $app } 앱에서 키 { $key } 삭제: 이 키로 서명하는 모든 것이 즉시 작동을 멈춥니다. 삭제할까요? [y/N]
cli-what-create-app = "{ $name }" 앱 만들기
cli-what-rename = { $app } 앱 이름 바꾸기: "{ $name }"
cli-what-replace-redirect-uris = { $app } 앱의 리디렉션 URI를 주소 { $count }개로 바꾸기
cli-what-rotate-secret = { $app } 앱의 시크릿 재발급
cli-what-change-webhook = { $app } 앱의 웹훅 변경({ $fields })
cli-what-rotate-webhook-secret = { $app } 앱의 웹훅 서명 시크릿 재발급
cli-what-reactivate = { $app } 앱 다시 활성화
cli-what-deactivate = { $app } 앱 비활성화
cli-what-add-key = { $app } 앱에 키 추가
cli-what-delete-key = { $app } 앱의 키 { $key } 삭제(이 키로 서명하는 모든 것이 즉시 작동을 멈춤)
cli-what-import = { $file } 파일에서 { $count }행 가져오기
cli-what-create-workflow = { $app } 앱에 "{ $name }" 워크플로 만들기
cli-what-replace-workflow = { $app } 앱의 워크플로 { $workflow } 내용을 { $path } 파일의 노드 { $count }개로 바꾸기

## 시크릿

cli-secret-warning = 경고: 이 클라이언트 시크릿은 한 번만 표시됩니다. 지금 안전한 곳(예: 비밀번호 관리자)에 보관하세요. 다시 표시할 수 없습니다.
cli-previous-secret-gone = 이전 시크릿은 더 이상 작동하지 않습니다.
cli-webhook-secret-warning = 경고: 이 웹훅 서명 시크릿은 한 번만 표시됩니다. 웹훅 수신 측이 읽는 곳에 지금 보관하세요. 이전 시크릿으로 만든 서명은 더 이상 검증되지 않으므로, 수신 측에 새 시크릿이 반영될 때까지는 두 시크릿을 모두 받아들이게 하세요.

## 표 머리글

# same-as-english
cli-col-id = ID
cli-col-app = 앱
cli-col-app-id = 앱 ID
cli-col-client-id = 클라이언트 ID
cli-col-name = 이름
cli-col-redirect-uris = 리디렉션 URI
cli-col-workflows = 워크플로
cli-col-workflow-id = 워크플로 ID
cli-col-nodes = 노드
cli-col-entry-node = 시작 노드
cli-col-default = 기본
cli-col-project-id = 프로젝트 ID
cli-col-state = 상태
cli-col-auth = 인증
cli-col-key-id = 키 ID
cli-col-type = 유형
cli-col-expires = 만료 일시
cli-col-created = 생성 일시
cli-col-countries = 국가
# same-as-english
cli-col-loa = LOA
cli-col-enabled = 사용
cli-col-activation = 활성화 상태
cli-col-still-required = 남은 요구 사항
cli-col-time-utc = 시간(UTC)
cli-col-workspace = 워크스페이스
cli-col-action = 작업
cli-col-detail = 세부 정보
cli-col-request-id = 요청 ID
cli-col-outcome = 결과
cli-col-row = 행
cli-col-status = 상태
cli-col-problem = 문제
cli-col-node-id = 노드 ID
cli-col-node = 노드
cli-col-mark = 표시
cli-col-summary = 요약
cli-col-next = 다음
cli-col-severity = 심각도
cli-col-label = 표시 이름
cli-col-settings = 설정(* 필수)

## 필드 이름(`apps get` 등)

cli-field-app-id = 앱 ID
cli-field-client-id = 클라이언트 ID
cli-field-name = 이름
cli-field-client-secret = 클라이언트 시크릿
cli-field-new-client-secret = 새 클라이언트 시크릿
cli-field-new-webhook-secret = 새 웹훅 시크릿
cli-field-redirect-uris = 리디렉션 URI
cli-field-providers = 인증 제공자
cli-field-webhook = 웹훅
cli-field-workflows = 워크플로
cli-field-organization = 조직
cli-field-address = 주소
cli-field-events = 이벤트
cli-field-retry-attempts = 재시도 횟수
cli-field-timeout-seconds = 제한 시간(초)
cli-field-type = 유형
cli-field-state = 상태
cli-field-auth-method = 인증 방식
cli-field-project = 프로젝트
cli-field-created = 생성 일시
cli-field-changed = 변경 일시

## 표와 필드의 값

cli-yes = 예
cli-no = 아니요
cli-on = 켜짐
cli-off = 꺼짐
cli-webhook-on-at = 켜짐: { $url }
cli-no-url-paren = (URL 없음)
cli-not-set = 설정 안 됨
cli-not-returned = 받지 못함
cli-not-returned-paren = (받지 못함)
cli-secret-hidden = {"***"} (숨김)
cli-none-enabled = 사용 중인 인증 제공자 없음
cli-none-paren = (없음)
cli-default-paren = (기본)
cli-default-value = { $value } (기본값)
cli-never = 만료 없음
cli-unknown = 알 수 없음
cli-state-active = 활성
cli-state-inactive = 비활성
cli-kind-other = 기타
cli-mark-entry = 시작
cli-mark-end = 끝
cli-severity-error = 오류
cli-severity-warning = 경고

## apps

cli-apps-count = 앱 { $count }개
cli-renamed = { $app } 앱 이름을 바꿨습니다: "{ $name }"
cli-already-named = { $app } 앱의 이름은 이미 "{ $name }"입니다. 바꿀 내용이 없습니다
cli-redirect-uris-now-none = 이제 { $app } 앱의 리디렉션 URI는 { $count }개입니다
cli-redirect-uris-now = 이제 { $app } 앱의 리디렉션 URI는 { $count }개입니다: { $uris }
cli-webhook-unchanged = { $app } 앱의 웹훅은 이미 이 설정으로 되어 있습니다. 아무것도 보내지 않았습니다
cli-webhook-no-address = { $app } 앱의 웹훅에 전달할 주소가 없습니다. --url https://… 옵션을 추가하세요
cli-webhook-changed = 바뀐 설정: { $fields }
cli-providers-count = 인증 제공자 { $count }개
cli-exported = 앱 { $count }개를 내보냈습니다
cli-exported-to = 앱 { $count }개를 내보냈습니다: { $path }
cli-export-no-folder = 폴더가 없습니다: { $folder }. 폴더를 만들거나 다른 폴더의 파일을 지정하세요
cli-export-save-failed = { $path } 파일을 저장하지 못했습니다: { $error }. 다른 폴더를 선택하거나 디스크 공간을 확보하세요
cli-export-write-failed = 내보낸 내용을 쓸 수 없습니다: { $error }
cli-export-no-external-ids = 참고: 외부 ID를 비워 둡니다: { $error }

## ZITADEL

cli-zitadel-not-configured = 설정된 ZITADEL 인스턴스가 없습니다. CONNECT_BASE_URL에 인스턴스 주소(예: https://example-abc123.zitadel.cloud)를, CONNECT_API_KEY에 서비스 사용자의 개인 액세스 토큰을 설정하거나 --base-url과 --api-key를 지정하세요. 인스턴스 없이 써 보려면 `connect-console sandbox --zitadel --demo`를 실행하고 CONNECT_BASE_URL=http://127.0.0.1:8787 CONNECT_API_KEY=FAKE_PAT_demo 값을 사용하세요
cli-zitadel-no-project = 선택한 ZITADEL 프로젝트가 없습니다. --project ID를 지정하거나 ZITADEL_PROJECT_ID를 설정하세요. 프로젝트 ID는 `connect-console projects list --backend zitadel`로 볼 수 있습니다
cli-zitadel-no-workflows = ZITADEL 앱에는 인증 워크플로가 없습니다. 이 명령은 Hopae Connect 워크스페이스에서 쓸 수 있습니다(--backend hopae)
cli-zitadel-only = Hopae Connect 앱은 인증 방식을 고를 수 없고 비활성화할 수도 없습니다. --auth-method, `apps deactivate`, `apps reactivate`는 ZITADEL 인스턴스에서 쓸 수 있습니다(--backend zitadel)
cli-hopae-no-projects = Hopae Connect 워크스페이스에는 프로젝트가 없습니다. `projects list`는 ZITADEL 인스턴스에서 쓸 수 있습니다(--backend zitadel)
cli-zitadel-create-no-redirect-uris = ZITADEL API 앱에는 리디렉션 URI가 없습니다. --redirect-uri를 빼세요
cli-zitadel-no-redirect-uris = ZITADEL API 앱에는 리디렉션 URI가 없습니다. 리디렉션 URI는 OIDC 앱에 있습니다
cli-zitadel-hopae-only = ZITADEL API 앱에는 여기서 쓸 수 있는 웹훅과 인증 제공자 목록이 없고, 내보내기는 Hopae 가져오기 형식으로 저장합니다. 이 명령은 Hopae Connect 워크스페이스에서 쓸 수 있습니다(--backend hopae)
cli-zitadel-choose-auth-method = 앱의 인증 방식을 선택하세요: --auth-method basic(클라이언트 시크릿, 한 번만 표시) 또는 --auth-method private-key-jwt(키, 시크릿 없음)
cli-zitadel-secret-add-key = 없음: 이 앱은 키로 서명합니다. ZITADEL 콘솔에서 키를 추가하세요
cli-zitadel-secret-hidden = 숨김(만들거나 재발급할 때만 표시)
cli-zitadel-secret-keys = 없음: 이 앱은 키로 서명합니다
cli-zitadel-secret-elsewhere = ZITADEL 콘솔에서 관리합니다
cli-projects-count = 프로젝트 { $count }개
cli-already-active = { $app } 앱은 이미 활성 상태입니다. 바꿀 내용이 없습니다
cli-already-inactive = { $app } 앱은 이미 비활성 상태입니다. 바꿀 내용이 없습니다
cli-reactivated = { $app } 앱을 다시 활성화했습니다
cli-deactivated = { $app } 앱을 비활성화했습니다

## apps keys

cli-key-expired = { $date } (만료됨)
cli-keys-count = { $app } 앱의 키 { $count }개
cli-key-file-exists = 같은 이름의 파일이 이미 있습니다: { $path }. 키 파일은 다른 파일을 덮어쓰지 않습니다. 아무것도 보내지 않았습니다. 새 파일 이름을 지정하세요
cli-key-app-not-jwt = { $app } 앱은 private key JWT로 로그인하지 않으므로 키를 추가할 수 없습니다. 아무것도 보내지 않았습니다. basic 앱은 클라이언트 시크릿을 씁니다(apps rotate-secret)
cli-key-added = { $app } 앱에 키를 추가했습니다(키 ID: { $key }). 만료: { $expires }.
cli-key-file = 키 파일: { $path }
cli-key-only-copy = 키 파일이 유일한 사본입니다. ZITADEL은 키를 한 번만 보여 줍니다. 안전한 곳에 보관하세요. 키 파일이 있으면 누구나 이 앱으로 로그인할 수 있습니다.
cli-key-deleted = { $app } 앱의 키를 삭제했습니다(키 ID: { $key })

## import

cli-import-secrets-warning = 경고: 시크릿 파일에는 새로 만든 모든 앱의 클라이언트 시크릿이 들어 있습니다. 이 파일은 본인만 읽을 수 있습니다. 각 시크릿을 안전한 경로로 해당 고객에게 전달한 다음 파일을 삭제하세요. 시크릿은 다시 표시되지 않습니다.
cli-import-progress = { $total }행 중 { $done }행 완료, 실패 { $failed }행, 초당 { $rate }행
cli-import-progress-eta = { $total }행 중 { $done }행 완료, 실패 { $failed }행, 초당 { $rate }행, 약 { $seconds }초 남음
cli-import-results-written = 결과를 저장했습니다: { $path }
cli-import-key-files-written = 앱 { $count }개의 키 파일을 저장했습니다: { $dir }
cli-import-secrets-added = 새 클라이언트 시크릿 { $count }개를 추가했습니다: { $path }
cli-import-stopped = 가져오기가 중간에 멈췄습니다: { $reason }
cli-import-dry-run-summary = 시험 실행이므로 아무것도 보내지 않았습니다: { $summary }
cli-import-retry-hint = 만들지 못한 행을 다시 시도하려면 같은 명령을 다시 실행하세요. 이미 만든 앱은 다시 만들지 않습니다.
cli-import-keys-dir-unused = --keys-dir 옵션은 키로 서명하는 앱에만 씁니다. --auth-method private-key-jwt를 추가하거나 --keys-dir 옵션을 빼세요
cli-import-keys-dir-needed = --keys-dir DIR 옵션을 지정하세요. 새 private-key-jwt 앱마다 키를 하나씩 받고, 그 키 파일(ZITADEL이 한 번만 보여 줌)을 이 폴더에 저장합니다. 아무것도 보내지 않았습니다
cli-import-keys-dir-is-file = --keys-dir 옵션으로 지정한 { $dir } 경로는 폴더가 아니라 파일입니다. 아무것도 보내지 않았습니다
cli-import-output-is-input = { $flag } 옵션이 가져오는 파일과 같은 파일을 가리킵니다({ $path }). 다른 파일 이름을 지정하세요
cli-import-output-folder-missing = { $flag } 옵션의 폴더가 없습니다: { $folder }. 아무것도 보내지 않았습니다. 폴더를 만들거나 다른 폴더의 파일을 지정하세요
cli-import-results-are-secrets = --results와 --secrets가 같은 파일을 가리킵니다({ $path }). 결과가 시크릿을 덮어쓰게 됩니다. 서로 다른 파일을 지정하세요
cli-import-not-compared = 설정된 워크스페이스가 없어 기존 앱과 비교하지 않았습니다(비교하려면 CONNECT_API_KEY와, 필요하면 CONNECT_BASE_URL을 설정하세요)
cli-import-compared = 기존 앱 { $count }개와 비교했습니다: { $place }
cli-place-project = 프로젝트 { $project }
cli-import-secrets-needed = --secrets FILE.csv 옵션을 지정하세요. 새 앱의 클라이언트 시크릿은 한 번만 표시되며 이 파일(본인만 읽을 수 있음)에 저장됩니다. 먼저 파일을 확인하려면 --dry-run 옵션을 사용하세요
cli-import-existing-create-note = 참고: --existing create는 이름이 이미 있는 행마다 같은 이름의 앱을 하나 더 만듭니다
cli-import-stopping = 이미 보낸 앱까지만 처리하고 멈추는 중...
cli-import-keys-note = 새 앱은 키로 서명합니다(private-key-jwt). 앱마다 키를 하나씩 받으며(만료: { $expiry }), 키 파일은 { $dir } 폴더에 저장합니다(ZITADEL은 키를 한 번만 보여 줍니다).
cli-import-file = { $file }: { $count }행, 인코딩 { $encoding }, 구분 기호 { $delimiter }
cli-import-file-guessed = { $file }: { $count }행, 인코딩 { $encoding }(추정값, --encoding으로 바꿀 수 있음), 구분 기호 { $delimiter }
cli-import-ignored-columns = 무시한 열: { $columns }
cli-row-created = 생성됨
cli-row-created-earlier = 이전에 생성됨
cli-row-failed = 실패
cli-row-invalid = 유효하지 않음
cli-row-skipped = 건너뜀
cli-row-exists = 이미 있음
cli-row-updated = 업데이트됨
cli-row-ready = 준비됨
cli-row-update = 업데이트 예정

## activity

cli-activity-unknown-action = 알 수 없는 작업입니다: "{ $action }". 다음 중 하나를 사용하세요: { $actions }
cli-activity-empty = 아직 기록된 활동이 없습니다: { $path } (이 컴퓨터에서 한 변경이 여기에 기록됩니다)
cli-activity-ok = 성공
cli-activity-failed = 실패
cli-activity-failed-because = 실패: { $error }
cli-activity-count = 활동 기록 { $count }개, 파일: { $path }

## workflows

cli-workflow-heading = 워크플로 { $id } "{ $name }": 노드 { $count }개, 시작 노드 { $entry }
cli-workflow-heading-default = 워크플로 { $id } "{ $name }" (기본): 노드 { $count }개, 시작 노드 { $entry }
cli-workflow-problems-hint = 문제 { $count }개. 목록을 보려면 --lint를 붙여 실행하세요
cli-workflow-no-problems = 문제가 없습니다
cli-workflow-has-errors = "{ $name }" 워크플로에 오류 { $errors }개, 경고 { $warnings }개가 있습니다
cli-workflow-warnings-only = 경고 { $count }개, 오류 없음
cli-app-no-workflows = { $app } 앱에 워크플로가 없습니다
cli-app-no-such-workflow = { $app } 앱에서 워크플로를 찾을 수 없습니다(ID 또는 이름: "{ $wanted }"). 이 앱의 워크플로: { $workflows }
cli-simulate-which-workflow = 시뮬레이션할 워크플로를 지정하세요: --file WORKFLOW.json 또는 앱의 클라이언트 ID
cli-simulate-mock-format = --mock 값은 NODE_ID=FILE 형식이어야 합니다(예: --mock nd_verify=other.json). 받은 값: "{ $value }"
cli-simulate-mock-unused = 참고: 워크플로에 이 인증 노드가 없어 모의 데이터를 쓰지 않습니다: "{ $node }"
cli-file-kind-userinfo = 사용자 정보(userinfo)
cli-file-kind-mock = { $node } 노드의 모의 사용자 정보
cli-file-kind-workflow = 워크플로
cli-file-read-failed = { $what } 파일을 읽을 수 없습니다: { $path } ({ $error })
cli-file-not-json = { $what } 파일이 올바른 JSON이 아닙니다: { $path } ({ $error })
cli-file-not-object = { $what } 파일에는 JSON 객체가 있어야 합니다: { $path } (들어 있는 값: { $kind })
cli-json-kind-bool = true 또는 false
cli-json-kind-number = 숫자
cli-json-kind-string = 문자열
cli-json-kind-list = 목록
cli-json-kind-object = 객체
cli-workflow-file-no-nodes = 워크플로 파일에 워크플로("nodes" 목록이 있는 JSON 객체)가 없습니다: { $path }
cli-workflow-file-unreadable = 콘솔이 읽을 수 있는 워크플로 파일이 아닙니다: { $path } ({ $error })
cli-workflow-file-no-name = 워크플로에 "name"이 없습니다: { $path }. 이름을 지정하세요
# same-as-english
cli-lint-line = { $severity }: { $message }
cli-lint-line-node = { $severity }: { $node } 노드: { $message }
cli-workflow-file-errors = 파일에 오류가 { $count }개 있습니다: { $path }. 아무것도 보내지 않았습니다. 오류를 고친 다음 명령을 다시 실행하세요
cli-workflow-other-answer = 서버가 워크플로가 아닌 다른 응답을 보냈습니다
cli-workflow-saved = 워크플로를 저장했습니다: "{ $name }"({ $id }), 노드 { $count }개, 시작 노드 { $entry }

## sandbox (첫 줄 "listening on URL"은 스크립트가 주소를 읽으므로 영어로 둡니다)

cli-sandbox-start-failed = 샌드박스를 시작할 수 없습니다(포트 { $port }): { $error }
cli-sandbox-ready = 워크스페이스에 앱 { $apps }개가 있습니다. 멈추려면 Ctrl-C를 누르세요
cli-sandbox-zitadel-ready = ZITADEL 인스턴스: 프로젝트 { $projects }개, 앱 { $apps }개. 다음으로 시작하는 토큰을 받습니다: { $prefix }. 조직 { $home }(기본)과 { $partner }(x-zitadel-orgid). 멈추려면 Ctrl-C를 누르세요
