# readonly.sh: a key store seckey must not change (sourced, bash, after
# tap.sh and virtkey.sh; the test defines sk, seckey for its world).
#
#   refuses_changes STATE KEY REGEX
#       register, rename KEY and delete KEY, each for alice with the
#       virtual keys of STATE, exit 1 and say on stderr what REGEX
#       matches: six tests
refuses_changes() {
	local state=$1 key=$2 regex=$3 cmd
	for cmd in "register --name Red" "rename \"$key\" Green" "delete --yes \"$key\""; do
		vk --state "$state" -- "printf '1234\n' | sk --user alice $cmd"
		is "$rc" 1 "${cmd%% *} refuses"
		like "$err" "$regex" "${cmd%% *}: and says why"
	done
}
