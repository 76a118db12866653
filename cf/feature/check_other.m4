divert(-1)
#
# FEATURE(`check_other')
#	Cut off clients that send mail headers as SMTP commands.  Argument: a
#	regular expression for the commands to refuse.
#
_cf_def(`_cf_badcmd_re', ifelse(defn(`_ARG_'), `', `^[[:print:]]+ *:', `defn(`_ARG_')'))
_cf_declare_map(`badcmd', `regex -m -a<BADCMD> '_cf_badcmd_re)
