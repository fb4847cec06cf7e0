# virtkey.sh: run shell snippets with virtual keys plugged in (sourced).
#
#   vk [WITH-VIRTKEY OPTIONS] -- SCRIPT
#
# Runs the bash SCRIPT under tests/virtkey/with-virtkey and sets rc, out,
# err like run().  Inside SCRIPT, $DEV0, $DEV1 ... hold the keys' paths as
# `fido2-token -L` lists them, and $VKCLIENT is the test client.
# Answers for prompts come from the SCRIPT itself (printf ... | cmd).

VKCLIENT="$top_builddir/tests/virtkey/vkclient"
export VKCLIENT

vk() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	run "$WITH_VIRTKEY" "${opts[@]}" -- bash -c '
		i=0
		while IFS= read -r line; do
			export "DEV$i=${line%%: vendor=*}"
			i=$((i + 1))
		done < <(fido2-token -L)
		eval "$1"' vk-script "$1" </dev/null
}

# fido2-tools read a PIN from /dev/tty when there is one; setsid detaches
# them from any terminal so they read our answers from standard input.
NOTTY="setsid -w"
