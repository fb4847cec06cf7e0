# world.sh: a private Debian login world for tests/realclient/realclient.sh
# (sourced, inside its private mount, PID, network and UTS namespaces).
#
# Nothing here may reach the machine: /etc, /usr/share/pam-configs and
# /var/lib/pam are overlays whose changes live in a tmpfs; /run, /tmp,
# /var/tmp and /var/log are fresh tmpfs mounts; /dev is a tmpfs with the
# machine's device nodes bound in, a devpts of its own and the world's
# /dev/log.  All of it goes away with the namespace.
#
#   world_setup            the mounts, host name, users, sudoers, policy,
#                          /etc/ld.so.preload, a key with alice's credential
#   policy LINES           /etc/security/pam_seckey.conf: enabled, rp_id,
#                          timeout 3, state_dir in the world's /run (never
#                          the machine's /var/lib/seckey), then LINES
#   use_stack NAME         /etc/pam.d/{su,sudo,login,sshd} for NAME:
#                          passwordless, two-factor (conf/examples), nokey
#                          (the passwordless example without pam_seckey),
#                          debian (Debian's own files; common-auth made by
#                          pam-auth-update from conf/pam-auth-update)
#   plug_key / unplug_key  the virtual key with alice's credential, PIN
#                          1234, 8 retries, fresh each time it is plugged
#   plug_rk_key NAME       a key that holds discoverable credentials, fresh
#                          from greeter_setup: "greeter" (alice's, in her
#                          key list) or "rogue" (alice's name and user
#                          handle, in nobody's list); its requests logged
#                          in $W/key.log
#   greeter_setup          those two keys, and /etc/pam.d/gdm-seckey as
#                          pam_seckey(8) shows it, for a display manager
#   retries                the PIN retries the plugged key reports
#   sshd_start             sshd on 127.0.0.1:$SSH_PORT (stopped at exit)
#   SYSLOG                 every syslog(3) line of the world, as written
#                          to /dev/log (a listener of the world's own)
#   dialog NAME RULES... -- CMD...
#                          dialog.exp with RULES (pairs REGEX ANSWER);
#                          sets rc and transcript (carriage returns gone)
#   world_stop             stops the key, sshd and the syslog listener (the
#                          EXIT trap calls it)
#
# REALCLIENT_INSTALLED=yes: the installed packages' pam_seckey.so (named
# as an administrator names it, found in libpam's module folder) and
# pam-auth-update profile instead of the build tree's; the virtual key
# still comes from the build tree.  WORLD_OVERLAYS: the folders made
# writable through an overlay, in this order (a caller that installs
# packages adds /usr and /var/lib/dpkg, before the folders inside them).

if [ -n "${REALCLIENT_INSTALLED:-}" ]; then
	MODULE=pam_seckey.so
else
	MODULE="$top_builddir/pam_module/.libs/pam_seckey.so"
fi
WORLD_OVERLAYS=${WORLD_OVERLAYS:-/etc /usr/share/pam-configs /var/lib/pam}
SHIM="$top_builddir/tests/virtkey/.libs/virtkey_shim.so"
VIRTKEY="$top_builddir/tests/virtkey/virtkey"
DIALOG="$top_srcdir/tests/realclient/dialog.exp"
ENROLL="$top_srcdir/tests/progs/enroll-key"
PAMDRIVER="$top_builddir/tests/progs/pamdriver"

HOST=seckey-realclient
RP=pam://realclient.test
W=/run/realclient
HOMES=$W/home
KEY_DIR=/run/seckey-virtkey
KEY_SOCK=$KEY_DIR/key0-usb.sock
KEY_DEV=virtkey:$KEY_SOCK
SSH_PORT=2222
POLICY=/etc/security/pam_seckey.conf
PIN=1234
ALICE_PW='alice-Pw.7731'
BOB_PW='bob-Pw.2210'
SYSLOG=$W/syslog
key_pid=""
sshd_pid=""
syslog_pid=""

# mount_overlay DIR: DIR becomes writable, its changes kept in $W/ov.
mount_overlay() {
	local name
	name=$(printf '%s' "$1" | tr / _)
	mkdir -p "$W/ov/$name/upper" "$W/ov/$name/work" &&
	    mount -t overlay overlay -o "lowerdir=$1,upperdir=$W/ov/$name/upper,workdir=$W/ov/$name/work" "$1"
}

# The folders the world covers with a fresh tmpfs may hold the build
# tree itself (a clone in /tmp, say).  Such a folder is first bound under
# $HOLD, a tmpfs of its own on /mnt, and the tree is bound back into the
# fresh tmpfs at its own path.  (A tree under /mnt is never covered.)
HOLD=/mnt
hold_mounted=""

# trees_under DIR: the build and source trees that lie under DIR.
trees_under() {
	local tree
	for tree in "$top_builddir" "$top_srcdir"; do
		tree=$(realpath "$tree")
		case "$tree/" in "$1"/*) echo "$tree" ;; esac
	done | sort -u
}

# cover DIR NAME MODE: a fresh tmpfs on DIR, the trees under it kept.
cover() {
	local trees tree
	trees=$(trees_under "$1")
	if [ -n "$trees" ]; then
		if [ -z "$hold_mounted" ]; then
			mount -t tmpfs -o mode=0700 realclient-hold "$HOLD" ||
			    return 1
			hold_mounted=yes
		fi
		mkdir -p "$HOLD/$2" && mount --bind "$1" "$HOLD/$2" || return 1
	fi
	mount -t tmpfs -o "mode=$3" "realclient-$2" "$1" || return 1
	[ -n "$trees" ] || return 0
	while IFS= read -r tree; do
		mkdir -p "$tree" &&
		    mount --bind "$HOLD/$2${tree#"$1"}" "$tree" || return 1
	done <<<"$trees"
}

# A /dev of the world's own, so that /dev/log can be the world's socket
# without a file made in the machine's /dev: the machine's entries bound
# into a tmpfs, and a new devpts instance for the terminals (a bound
# /dev/ptmx would not find it).
dev_setup() {
	local hold="$W/dev" entry name tty_gid
	tty_gid=$(getent group tty | cut -d: -f3)
	mkdir -p "$hold" && mount --rbind /dev "$hold" &&
	    mount -t tmpfs -o mode=0755 realclient-dev /dev || return 1
	for entry in "$hold"/*; do
		name=${entry##*/}
		case "$name" in pts|ptmx|log) continue ;; esac
		if [ -L "$entry" ]; then
			cp -P "$entry" "/dev/$name"
		elif [ -d "$entry" ]; then
			mkdir "/dev/$name" && mount --rbind "$entry" "/dev/$name"
		else
			touch "/dev/$name" && mount --bind "$entry" "/dev/$name"
		fi || return 1
	done
	mkdir -m 0755 /dev/pts &&
	    mount -t devpts -o "newinstance,ptmxmode=0666,mode=0620${tty_gid:+,gid=$tty_gid}" \
	    realclient-pts /dev/pts && ln -s pts/ptmx /dev/ptmx
}

world_mounts() {
	cover /run run 0755 && cover /tmp tmp 1777 &&
	    cover /var/tmp vartmp 1777 && cover /var/log log 0755 || return 1
	if [ -d /var/lib/sudo ]; then
		mount -t tmpfs -o mode=0711 realclient-sudo /var/lib/sudo || return 1
	fi
	mkdir -p -m 0755 "$W" && dev_setup || return 1
	local dir
	for dir in $WORLD_OVERLAYS; do
		mount_overlay "$dir" || return 1
	done
}

# add_user NAME UID PASSWORD: passwd, shadow, group, gshadow and a home.
add_user() {
	local hash
	hash=$(openssl passwd -6 "$3") || return 1
	printf '%s:x:%s:%s:%s:%s:/bin/sh\n' "$1" "$2" "$2" "$1" "$HOMES/$1" >> /etc/passwd
	printf '%s:%s:19000:0:99999:7:::\n' "$1" "$hash" >> /etc/shadow
	printf '%s:x:%s:\n' "$1" "$2" >> /etc/group
	[ ! -f /etc/gshadow ] || printf '%s:!::\n' "$1" >> /etc/gshadow
	mkdir -p -m 0700 "$HOMES/$1" && chown "$2:$2" "$HOMES/$1"
}

# free_id FROM: the first uid and gid from FROM up that nobody uses.
free_id() {
	local id=$1
	while getent passwd "$id" >/dev/null || getent group "$id" >/dev/null; do
		id=$((id + 1))
	done
	echo "$id"
}

policy() {
	printf 'enabled = true\nrp_id = "%s"\ntimeout = 3\nstate_dir = "%s"\n%s\n' \
	    "$RP" "$W/state" "$1" > "$POLICY"
	chmod 0644 "$POLICY"
}

# The example stacks, with the module given by path and our policy file.
render() {
	sed "s|pam_seckey\\.so|$MODULE conf=$POLICY|" "$1"
}

stacks_setup() {
	local svc
	mkdir -p "$W/stacks/debian"
	for svc in su sudo login sshd; do
		cp "/etc/pam.d/$svc" "$W/stacks/debian/$svc" || return 1
	done
	render "$top_srcdir/conf/examples/passwordless" > "$W/stacks/passwordless"
	render "$top_srcdir/conf/examples/two-factor" > "$W/stacks/two-factor"
	grep -v 'pam_seckey' "$top_srcdir/conf/examples/passwordless" > "$W/stacks/nokey"
	# pam-auth-update renders the shipped profile into common-auth (the
	# installed package's profile as it is).
	[ -n "${REALCLIENT_INSTALLED:-}" ] ||
		render "$top_srcdir/conf/pam-auth-update/pam_seckey" \
		    > /usr/share/pam-configs/pam_seckey
	DEBIAN_FRONTEND=noninteractive pam-auth-update --enable pam_seckey \
	    >"$W/pam-auth-update.log" 2>&1 || return 1
	grep -q "$MODULE" /etc/pam.d/common-auth
}

use_stack() {
	local svc
	for svc in su sudo login sshd; do
		if [ "$1" = debian ]; then
			cp "$W/stacks/debian/$svc" "/etc/pam.d/$svc"
		else
			cp "$W/stacks/$1" "/etc/pam.d/$svc"
		fi
	done
}

# key_start [ARGS...]: the virtual key on $W/key.state, with ARGS.
key_start() {
	"$VIRTKEY" --socket "$KEY_SOCK" --state "$W/key.state" --touch now \
	    --touch-timeout 5000 "$@" </dev/null >>"$W/virtkey.log" 2>&1 &
	key_pid=$!
	local t
	for ((t = 0; t < 500; t++)); do
		[ -S "$KEY_SOCK" ] && return 0
		kill -0 "$key_pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "virtual key did not start" >&2
	return 1
}

unplug_key() {
	if [ -n "$key_pid" ]; then
		kill -TERM "$key_pid" 2>/dev/null
		wait "$key_pid" 2>/dev/null
	fi
	key_pid=""
	rm -f "$KEY_SOCK"
}

# A key just as it left the setup: PIN 1234, 8 retries, alice's credential.
plug_key() {
	unplug_key
	cp "$W/key.golden" "$W/key.state" && key_start
}

# Discoverable credentials need slots; requests are logged to show the
# allow lists the module sent.
RK_ARGS=(--resident 8 --log "$W/key.log")
plug_rk_key() {
	unplug_key
	: > "$W/key.log"
	cp "$W/$1.golden" "$W/key.state" && key_start "${RK_ARGS[@]}"
}

retries() {
	fido2-token -I "$KEY_DEV" 2>/dev/null | sed -n 's/^pin retries: //p'
}

key_setup() {
	local list="$HOMES/alice/.config/seckey/keys.conf"
	mkdir -p -m 0755 "$KEY_DIR" && key_start || return 1
	printf '%s\n%s\n' "$PIN" "$PIN" | setsid -w fido2-token -S "$KEY_DEV" \
	    >/dev/null 2>&1 || return 1
	mkdir -p "$(dirname "$list")"
	echo "$PIN" | "$ENROLL" --device "$KEY_DEV" --rp "$RP" \
	    --name "Blue key" --out "$list" || return 1
	chmod 0600 "$list"
	chmod 0700 "$HOMES/alice/.config" "$(dirname "$list")"
	chown -R alice:alice "$HOMES/alice/.config"
	unplug_key
	cp "$W/key.state" "$W/key.golden"
}

# rk_key_setup NAME ENROLL-ARGS...: a fresh key that holds discoverable
# credentials, PIN 1234, one credential made by enroll-key (fido2-cred)
# with ENROLL-ARGS; kept as $W/NAME.golden.
rk_key_setup() {
	local name=$1
	shift
	unplug_key
	rm -f "$W/key.state"
	key_start "${RK_ARGS[@]}" || return 1
	printf '%s\n%s\n' "$PIN" "$PIN" | setsid -w fido2-token -S "$KEY_DEV" \
	    >/dev/null 2>&1 || return 1
	echo "$PIN" | "$ENROLL" --device "$KEY_DEV" --rp "$RP" "$@" || return 1
	unplug_key
	cp "$W/key.state" "$W/$name.golden"
}

# The service a display manager's greeter starts PAM in without a user
# name, as pam_seckey(8) shows it (the literal block after its
# "# /etc/pam.d/gdm-seckey" line), the module named as the other stacks
# name it.
GREETER_SVC=gdm-seckey
greeter_setup() {
	local list="$HOMES/alice/.config/seckey/keys.conf" handle
	rk_key_setup greeter --name "Green key" --out "$list" \
	    --resident alice || return 1
	chown alice:alice "$list" && chmod 0600 "$list" || return 1
	handle=$(sed -n 's/^  user_handle = "\(.*\)"$/\1/p' "$list")
	[ "$(printf '%s' "$handle" | base64 -d | wc -c)" -eq 32 ] || return 1
	rk_key_setup rogue --name "Rogue key" --out "$W/rogue.conf" \
	    --resident alice --handle "$handle" || return 1
	sed -n '/^# \/etc\/pam\.d\/'"$GREETER_SVC"'$/,/^\.Ed$/p' \
	    "$top_srcdir/man/pam_seckey.8" | sed '$d' > "$W/greeter.example"
	grep -q '^auth .*pam_seckey\.so' "$W/greeter.example" || return 1
	render "$W/greeter.example" > "/etc/pam.d/$GREETER_SVC"
}

sudoers_setup() {
	cat > /etc/sudoers <<'SUDOERS'
Defaults	env_reset
Defaults	!lecture
Defaults	timestamp_timeout=0
Defaults	secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
root	ALL=(ALL:ALL) ALL
alice	ALL=(ALL:ALL) ALL
SUDOERS
	chmod 0440 /etc/sudoers
}

sshd_setup() {
	mkdir -p -m 0755 /run/sshd "$W/ssh"
	ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/host_ed25519" || return 1
	cat > "$W/ssh/sshd_config" <<CONFIG
ListenAddress 127.0.0.1:$SSH_PORT
HostKey $W/ssh/host_ed25519
PidFile $W/ssh/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication yes
PubkeyAuthentication no
PermitRootLogin no
UseDNS no
PrintMotd no
PrintLastLog no
MaxAuthTries 6
LogLevel VERBOSE
CONFIG
	/usr/sbin/sshd -t -f "$W/ssh/sshd_config"
}

sshd_start() {
	/usr/sbin/sshd -D -e -f "$W/ssh/sshd_config" 2>>"$W/sshd.log" &
	sshd_pid=$!
	local t
	for ((t = 0; t < 500; t++)); do
		(: </dev/tcp/127.0.0.1/"$SSH_PORT") 2>/dev/null && return 0
		kill -0 "$sshd_pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "sshd did not start:" >&2
	cat "$W/sshd.log" >&2
	return 1
}

# The world's syslog daemon: each datagram on /dev/log, one line in
# $SYSLOG ("<PRI>DATE IDENT[PID]: TEXT", as syslog(3) sends it).
syslog_start() {
	perl -MSocket -MIO::Socket::UNIX -e '
		my $sock = IO::Socket::UNIX->new(Type => SOCK_DGRAM,
		    Local => "/dev/log") or die "cannot listen on /dev/log: $!\n";
		chmod 0666, "/dev/log";
		open(my $out, ">>", $ARGV[0]) or die "$ARGV[0]: $!\n";
		$out->autoflush(1);
		my $msg;
		while (defined $sock->recv($msg, 65536)) {
			$msg =~ s/\n*\z/\n/;
			print $out $msg;
		}' "$SYSLOG" </dev/null 2>>"$W/syslog.err" &
	syslog_pid=$!
	local t
	for ((t = 0; t < 500; t++)); do
		[ -S /dev/log ] && return 0
		kill -0 "$syslog_pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "the syslog listener did not start" >&2
	return 1
}

world_stop() {
	unplug_key
	if [ -n "$syslog_pid" ]; then
		kill -TERM "$syslog_pid" 2>/dev/null
		wait "$syslog_pid" 2>/dev/null
		syslog_pid=""
	fi
	if [ -n "$sshd_pid" ]; then
		kill -TERM "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
		sshd_pid=""
	fi
}

world_setup() {
	local uid
	world_mounts || { echo "cannot mount the private world" >&2; return 1; }
	: > "$SYSLOG" && syslog_start || return 1
	hostname "$HOST" && ip link set lo up || return 1
	printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost\n' "$HOST" > /etc/hosts
	uid=$(free_id 4300)
	add_user alice "$uid" "$ALICE_PW" || return 1
	uid=$(free_id "$((uid + 1))")
	add_user bob "$uid" "$BOB_PW" || return 1
	mkdir -p -m 0755 /etc/security
	policy ""
	sudoers_setup && stacks_setup && sshd_setup || return 1
	# From here on every program, setuid or not, has the shim preloaded.
	echo "$SHIM" > /etc/ld.so.preload
	key_setup && sshd_start
}

dialog() {
	local name=$1 rules
	shift
	rules="$W/dialogs/$name.rules"
	mkdir -p "$W/dialogs"
	: > "$rules"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		printf '%s\t%s\n' "$1" "$2" >> "$rules"
		shift 2
	done
	shift
	expect -f "$DIALOG" "$rules" "$W/dialogs/$name.log" -- "$@"
	rc=$?
	transcript=$(tr -d '\r' < "$W/dialogs/$name.log")
}
