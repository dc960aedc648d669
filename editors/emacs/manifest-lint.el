;;; manifest-lint.el --- manifest-lint for Unity's Packages/manifest.json, via Eglot  -*- lexical-binding: t; -*-

;; Works with Emacs 29+ (Eglot built in) and Emacs 28 with Eglot from GNU ELPA.
;; Put this in your init file, or `load' it.
;;
;; A major mode `unity-manifest-mode' (a JSON mode) claims every .../Packages/manifest.json, and
;; Eglot starts `manifest-lint lsp' for it, one server per Unity project.  Other JSON files are
;; not affected.

;;; Code:

(require 'eglot)

;; JSON mode of this Emacs: `js-json-mode' since Emacs 29, `js-mode' before.
(defalias 'unity-manifest--parent-mode
  (if (fboundp 'js-json-mode) #'js-json-mode #'js-mode))

(define-derived-mode unity-manifest-mode unity-manifest--parent-mode "Unity-Manifest"
  "Major mode for Unity's Packages/manifest.json, linted by manifest-lint.")

(add-to-list 'auto-mode-alist '("/Packages/manifest\\.json\\'" . unity-manifest-mode))

(add-to-list 'eglot-server-programs
             '((unity-manifest-mode :language-id "json")
               . ("manifest-lint" "lsp"
                  ;; Sent once at start-up.  Omitted keys keep the server's defaults:
                  ;; online t, registryTimeout 10 (seconds), inlayHints t, rules {}.
                  :initializationOptions (:online t :registryTimeout 10 :inlayHints t))))

;; Answers the server's workspace/configuration requests for the `manifestLint' section.  Use
;; :json-false for false, e.g. (:manifestLint (:online :json-false)).  Can also be set per project
;; in .dir-locals.el.
(setq-default eglot-workspace-configuration
              (append '(:manifestLint (:online t
                                       :registryTimeout 10
                                       :inlayHints t
                                       ;; :rules (:redundant-scope "off" :unity-scope-override "error")
                                       ))
                      (and (listp (default-value 'eglot-workspace-configuration))
                           (default-value 'eglot-workspace-configuration))))

(add-hook 'unity-manifest-mode-hook #'eglot-ensure)

;; The project of a manifest is the folder that holds Packages/ (also when it is not a VC root).
(defun unity-manifest--project (dir)
  "Return a transient project for DIR when DIR is inside a Unity project's Packages folder."
  (let ((root (locate-dominating-file dir "Packages/manifest.json")))
    (when (and root (derived-mode-p 'unity-manifest-mode))
      (cons 'transient root))))
(add-hook 'project-find-functions #'unity-manifest--project -10)

(provide 'manifest-lint)
;;; manifest-lint.el ends here
