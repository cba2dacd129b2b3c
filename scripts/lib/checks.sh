# Shared by the end-to-end scripts (e2e-slurm.sh, disk-full.sh): a check
# that counts failures, and the one way they wait. Source it; it defines
#   check NAME EXPR             evaluates EXPR: PASS or FAIL NAME (counted in $fails)
#   wait_until WHAT SECONDS CMD...
#                               runs CMD every POLL seconds (default 0.2) until it
#                               succeeds; past SECONDS (sized for a slow, busy
#                               machine: minutes) it is a FAIL naming WHAT, and the
#                               script ends there rather than check a state that
#                               was never reached. A script may define give_up_hook
#                               to print its state (a sweep's status, the queue)
#                               first.
fails=0
check() {
  if eval "$2"; then
    echo "PASS $1"
  else
    echo "FAIL $1"
    fails=$((fails + 1))
  fi
}

wait_until() {
  local what=$1 limit=$2 t0=$SECONDS
  shift 2
  until "$@"; do
    if [ $((SECONDS - t0)) -ge "$limit" ]; then
      echo "FAIL timed out after ${limit} s waiting for $what"
      if declare -F give_up_hook >/dev/null; then give_up_hook || true; fi
      exit 1
    fi
    sleep "${POLL:-0.2}"
  done
}
