# Shell prompt: show the last complete week's split, refreshed at most once an hour.
# Source this from ~/.bashrc (bash) or adapt PROMPT_COMMAND for your shell.
__leadtime_prompt() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/leadtime-prompt"
  if [ ! -f "$cache" ] || [ -n "$(find "$cache" -mmin +60 2>/dev/null)" ]; then
    mkdir -p "$(dirname "$cache")"
    local code=0
    leadtime check --format json >/dev/null 2>&1 || code=$?
    case $code in
      0) echo "70/30 ok" ;;
      1) echo "70/30 off" ;;
      5) echo "70/30 ?" ;;
      *) echo "" ;;
    esac >"$cache"
  fi
  cat "$cache"
}
PS1='[$(__leadtime_prompt)] '"$PS1"
