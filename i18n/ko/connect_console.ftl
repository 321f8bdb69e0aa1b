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
