from subprocess import check_output
check_output(["ls", "-l"])
