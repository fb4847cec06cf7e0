#!/bin/bash
# seckey on a terminal: PINs are read from /dev/tty with echo off (and the
# echo comes back, even after Ctrl-C), delete and reset ask first.  A
# small Python program plays the user on a pseudo-terminal.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
command -v python3 >/dev/null || plan_skip_all "python3 is not installed"
plan 22

state="$TEST_TMP/state"
keys=$(keys_of "$SK_USER")
PTY="$TEST_TMP/terminal-user.py"
export PTY

# terminal-user.py EXPECT SEND [EXPECT SEND ...] -- CMD ARGS: runs CMD on a new
# pseudo-terminal, waits for each EXPECT (a regex) and types SEND (\n
# and \x03 understood).  Prints what the terminal showed, then
# "status=N" (or "signal=N") and "echo=on|off" as the terminal is left.
cat > "$PTY" <<'PY'
import os, pty, re, select, sys, termios, time

args = sys.argv[1:]
split = args.index("--")
steps, argv = args[:split], args[split + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
shown = b""

def read_some(timeout):
    global shown
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    shown += data
    return bool(data)

for i in range(0, len(steps), 2):
    expect, send = steps[i], steps[i + 1]
    deadline = time.time() + 20
    while not re.search(expect.encode(), shown) and time.time() < deadline:
        if not read_some(0.1):
            break
    time.sleep(0.1)
    os.write(fd, send.encode().decode("unicode_escape").encode())
# Until the program ends: the terminal then reports end of file.
deadline = time.time() + 60
while read_some(0.5) and time.time() < deadline:
    pass
attrs = termios.tcgetattr(fd)
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace").replace("\r", ""))
if os.WIFSIGNALED(status):
    print("signal=%d" % os.WTERMSIG(status))
else:
    print("status=%d" % os.WEXITSTATUS(status))
print("echo=%s" % ("on" if attrs[3] & termios.ECHO else "off"))
PY
export -f sk

vk --state "$state" -- 'python3 "$PTY" "New PIN: " "2468\n" "New PIN again: " "2468\n" -- bash -c "sk pin set"'
is "$rc" 0 "the pseudo-terminal runs seckey"
like "$out" 'New PIN: ' "pin set asks on the terminal"
unlike "$out" '2468' "and the PIN typed is not echoed"
like "$out" 'seckey: PIN set' "the PIN is set"
like "$out" $'status=0\necho=on$' "seckey exits 0 and leaves the terminal's echo on"
vk --state "$state" -- 'printf "2468\n4321\n4321\n" | setsid -w fido2-token -C "$DEV0"'
is "$rc" 0 "fido2-token accepts the PIN typed on the terminal"

vk --state "$state" -- 'python3 "$PTY" "PIN: " "4321\n" -- bash -c "sk register --name \"Blue key\""'
like "$out" 'Security key PIN: ' "register asks for the PIN on the terminal"
unlike "$out" '4321' "without echo"
like "$out" 'registered "Blue key"' "and registers the key"

vk --state "$state" -- 'python3 "$PTY" "Current PIN: " "12\x03" -- bash -c "sk pin change"'
like "$out" 'signal=2' "Ctrl-C at the PIN prompt ends seckey by SIGINT"
like "$out" 'echo=on$' "and the terminal gets its echo back"
unlike "$out" '12' "what was typed was not echoed"

cp "$keys" "$TEST_TMP/keys.before"
run python3 "$PTY" '\[y/N\] ' 'n\n' -- bash -c 'sk delete "Blue key"'
like "$out" "Delete \"Blue key\" from the security keys of $SK_USER\\? \\[y/N\\] " "delete asks on a terminal"
like "$out" $'seckey: nothing was deleted\nstatus=1' "answering n deletes nothing, exit 1"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "and the list is unchanged"
run python3 "$PTY" '\[y/N\] ' 'y\n' -- bash -c 'sk delete "Blue key"'
like "$out" $'seckey: deleted "Blue key".*\nstatus=0' "answering y deletes it"
is "$(key_names "$keys")" "" "the list is empty"

vk --state "$state" -- 'python3 "$PTY" "reset it: " "y\n" -- bash -c "sk reset"'
like "$out" 'a reset erases every credential' "reset warns on the terminal"
like "$out" $'Type "yes" to reset it: y\n*seckey: nothing was reset\nstatus=1' "and a mere y is not enough"
vk --state "$state" -- 'fido2-token -I "$DEV0"'
like "$out" 'clientPin,' "the key keeps its PIN"
vk --state "$state" -- 'python3 "$PTY" "reset it: " "yes\n" -- bash -c "sk reset"'
like "$out" $'the security key is reset.*\nstatus=0' "typing yes resets the key"
vk --state "$state" -- 'fido2-token -I "$DEV0"'
like "$out" 'noclientPin' "which has no PIN any more"

done_testing
