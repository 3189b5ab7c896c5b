# Sourced by the suites that train for a time budget (gpt, pretrain): reads `--minutes N` (default 30) and
# `--steps N` (the schedule then decays to zero at N steps, within the minutes) into $minutes and $max_steps
# (empty when not given). The suite's name, for messages, is the first argument.
read_time_budget() {
  local suite="$1"; shift
  minutes=30 max_steps=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --minutes) minutes="${2:?--minutes N}"; shift 2 ;;
      --steps) max_steps="${2:?--steps N}"; shift 2 ;;
      *) echo "$suite suite: unknown argument $1 (have --minutes N, --steps N)" >&2; exit 2 ;;
    esac
  done
}
