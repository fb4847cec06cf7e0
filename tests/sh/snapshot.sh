# snapshot.sh: what the machine's files look like, to compare before and
# after a test that works in namespaces and must leave the machine as it
# was (sourced, bash).
#
#   machine_snapshot PATH...   for each PATH (a file or a folder, not
#                              crossing mounts): every entry's name, mode,
#                              owner, group and size, and every file's
#                              SHA-256, or "PATH absent"; then the host name
machine_snapshot() {
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then
			find "$f" -xdev -printf '%p %m %u %g %s\n' | sort
			find "$f" -xdev -type f -exec sha256sum {} + | sort
		else
			echo "$f absent"
		fi
	done
	hostname
}
